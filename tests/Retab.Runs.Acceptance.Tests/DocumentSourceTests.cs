using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Documents;
using Retab.Runs.Testing;
using Retab.Runs.Worker;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// What a worker reads of an uploaded file, over the bus (the standalone host's in-memory bus, the worker's own
/// <see cref="IDocumentSource"/>): page texts, image bytes up to the bus limit, and only its own organization's files.
/// </summary>
public sealed class DocumentSourceTests : IDisposable
{
    private const int MaxImageBytes = 64;
    private static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?> { ["Orchestrator:MaxDocumentImageBytes"] = MaxImageBytes.ToString() });
    private readonly ApiClient _api;

    public DocumentSourceTests() => _api = _host.Client();

    public void Dispose() => _host.Dispose();

    private IDocumentSource Documents => _host.Services.GetRequiredService<IDocumentSource>();

    [Fact]
    public async Task A_worker_reads_the_page_texts_of_a_pdf_uploaded_over_http()
    {
        var fileId = (await FileUploads.UploadAsync(_host, _api, "invoice.pdf", TestPdfs.WithPages("Invoice 42", "Total 120 EUR"))).ShouldBe(HttpStatusCode.OK).Id;

        var document = await Documents.GetAsync("org_a", fileId, CancellationToken.None);

        Assert.NotNull(document);
        Assert.Equal("application/pdf", document.MimeType);
        Assert.Equal("invoice.pdf", document.Filename);
        Assert.Equal(2, document.PageCount);
        Assert.Contains("Invoice 42", document.Pages[0]);
        Assert.Contains("Total 120 EUR", document.Pages[1]);
        Assert.Null(document.Image);
        // Cached: the second read is the same content without another round trip.
        Assert.Same(document, await Documents.GetAsync("org_a", fileId, CancellationToken.None));
    }

    [Fact]
    public async Task Another_organizations_file_or_an_unknown_one_is_not_found()
    {
        var fileId = (await FileUploads.UploadAsync(_host, _api, "a.txt", "hello"u8.ToArray())).ShouldBe(HttpStatusCode.OK).Id;
        var pendingId = (await FileUploads.StartAsync(_api, "p.txt", 1))["fileId"]!.GetValue<string>();

        Assert.Null(await Documents.GetAsync("org_b", fileId, CancellationToken.None));
        Assert.Null(await Documents.GetAsync("org_a", "file_unknown", CancellationToken.None));
        Assert.Null(await Documents.GetAsync("org_a", pendingId, CancellationToken.None));
        Assert.Equal(["hello"], (await Documents.GetAsync("org_a", fileId, CancellationToken.None))!.Pages);
    }

    [Fact]
    public async Task Images_travel_as_bytes_up_to_the_bus_limit()
    {
        var small = PngHeader.Concat(new byte[MaxImageBytes - PngHeader.Length]).ToArray();
        var large = PngHeader.Concat(new byte[MaxImageBytes]).ToArray();
        var smallId = (await FileUploads.UploadAsync(_host, _api, "small.png", small)).ShouldBe(HttpStatusCode.OK).Id;
        var largeId = (await FileUploads.UploadAsync(_host, _api, "large.png", large)).ShouldBe(HttpStatusCode.OK).Id;

        var image = await Documents.GetAsync("org_a", smallId, CancellationToken.None);
        Assert.Equal(small, image!.Image);
        Assert.Equal(1, image.PageCount);

        var refused = await Assert.ThrowsAsync<DocumentUnavailableException>(() => Documents.GetAsync("org_a", largeId, CancellationToken.None));
        Assert.Equal("image_too_large", refused.Code);
        Assert.Contains("Orchestrator:MaxDocumentImageBytes", refused.Message);
    }
}

using System.Net;
using System.Text;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Retab's file API on the standalone host: uploads, limits, signed URLs, organizations, test inputs.</summary>
public sealed class FileTests : IDisposable
{
    private const long MaxBytes = 100_000;
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?> { ["Files:MaxBytes"] = MaxBytes.ToString() });
    private readonly ApiClient _api;

    public FileTests() => _api = _host.Client();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_pdf_uploaded_in_two_steps_is_a_file_with_its_page_count()
    {
        var pdf = TestPdfs.WithPages("Invoice 42", "Total 120 EUR");
        var sha = FileUploads.Sha256(pdf);

        var session = await FileUploads.StartAsync(_api, "invoice.pdf", pdf.Length, sha, "application/pdf");
        var fileId = session["fileId"]!.GetValue<string>();
        Assert.StartsWith("file_", fileId);
        Assert.Equal("PUT", session["uploadMethod"]!.GetValue<string>());
        Assert.NotNull(session["uploadHeaders"]!.AsObject());
        Assert.True(DateTimeOffset.Parse(session["expiresAt"]!.GetValue<string>()) > DateTimeOffset.UtcNow);
        using var anonymous = _host.CreateClient();
        using (var put = await FileUploads.PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>(), pdf))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var reference = (await _api.PostAsync($"/v1/files/upload/{fileId}/complete", new JsonObject { ["sha256"] = sha })).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(fileId, reference["id"]!.GetValue<string>());
        Assert.Equal("invoice.pdf", reference["filename"]!.GetValue<string>());
        Assert.Equal("application/pdf", reference["mime_type"]!.GetValue<string>());
        Assert.EndsWith($"/v1/files/{fileId}", reference["url"]!.GetValue<string>());

        var file = (await _api.GetAsync($"/v1/files/{fileId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("file", file["object"]!.GetValue<string>());
        Assert.Equal(2, file["page_count"]!.GetValue<int>());
        Assert.Equal("application/pdf", file["mime_type"]!.GetValue<string>());
        Assert.NotNull(file["created_at"]);
        Assert.NotNull(file["updated_at"]);

        // Completing again answers the same reference; the bytes can no longer change.
        (await _api.PostAsync($"/v1/files/upload/{fileId}/complete", null)).ShouldBe(HttpStatusCode.OK);
        using (var late = await FileUploads.PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>(), [1, 2, 3]))
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task The_download_link_serves_the_same_bytes_without_the_api_key()
    {
        var pdf = TestPdfs.WithPages("download me");
        var fileId = (await FileUploads.UploadAsync(_host, _api, "d.pdf", pdf)).ShouldBe(HttpStatusCode.OK).Id;

        var link = (await _api.GetAsync($"/v1/files/{fileId}/download-link")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("d.pdf", link["filename"]!.GetValue<string>());
        Assert.Equal(fileId, link["mime_data"]!["id"]!.GetValue<string>());
        using var anonymous = _host.CreateClient();
        using var download = await anonymous.GetAsync(link["download_url"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_multipart_upload_is_one_request()
    {
        var created = (await FileUploads.MultipartAsync(_api, "table.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"), "text/plain")).ShouldBe(HttpStatusCode.Created).Json!;

        Assert.Equal("text/csv", created["mime_type"]!.GetValue<string>());
        var file = (await _api.GetAsync($"/v1/files/{created["id"]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(1, file["page_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Files_over_the_limit_are_413_at_upload_start_during_the_put_and_in_one_step()
    {
        AssertError(await _api.PostAsync("/v1/files/upload", new JsonObject { ["filename"] = "big.pdf", ["size_bytes"] = MaxBytes + 1 }),
            HttpStatusCode.RequestEntityTooLarge, "file_too_large");

        var session = await FileUploads.StartAsync(_api, "liar.txt", 10);
        using var anonymous = _host.CreateClient();
        using var put = await FileUploads.PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>(), new byte[MaxBytes + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("file_too_large", JsonNode.Parse(await put.Content.ReadAsStringAsync())!["detail"]!["code"]!.GetValue<string>());

        AssertError(await FileUploads.MultipartAsync(_api, "big.txt", Encoding.ASCII.GetBytes(new string('a', (int)MaxBytes + 1))),
            HttpStatusCode.RequestEntityTooLarge, "file_too_large");
    }

    [Fact]
    public async Task Content_of_an_unsupported_type_is_415_whatever_it_claims_to_be()
    {
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0];
        AssertError(await FileUploads.UploadAsync(_host, _api, "invoice.pdf", zip), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        AssertError(await FileUploads.MultipartAsync(_api, "invoice.pdf", zip, "application/pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_sha256_that_does_not_match_or_a_pdf_that_cannot_be_read_is_422()
    {
        var pdf = TestPdfs.WithPages("x");
        var mismatch = await FileUploads.UploadAsync(_host, _api, "x.pdf", pdf, sha256: new string('0', 64));
        mismatch.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("sha256", mismatch.Json!["detail"]![0]!["loc"]![1]!.GetValue<string>());

        var damaged = pdf.Take(30).Concat(new byte[100]).ToArray();
        var unreadable = await FileUploads.UploadAsync(_host, _api, "x.pdf", damaged);
        unreadable.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("PDF cannot be read", unreadable.Json!["detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forged_and_expired_upload_urls_are_rejected()
    {
        var session = await FileUploads.StartAsync(_api, "a.txt", 2);
        var url = session["uploadUrl"]!.GetValue<string>();
        using var anonymous = _host.CreateClient();

        foreach (var forged in new[] { url[..^4] + "AAAA", url.Replace("organization_id=org_a", "organization_id=org_b"), url.Split('?')[0] })
        {
            using var put = await FileUploads.PutAsync(anonymous, forged, [104, 105]);
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            Assert.Equal("invalid_signature", JsonNode.Parse(await put.Content.ReadAsStringAsync())!["detail"]!["code"]!.GetValue<string>());
        }

        using var expiredHost = new StandaloneHost(settings: new Dictionary<string, string?> { ["Files:UploadUrlLifetime"] = "-00:00:05" });
        var expiredSession = await FileUploads.StartAsync(expiredHost.Client(), "a.txt", 2);
        using var expiredPut = await FileUploads.PutAsync(expiredHost.CreateClient(), expiredSession["uploadUrl"]!.GetValue<string>(), [104, 105]);
        Assert.Equal(HttpStatusCode.Forbidden, expiredPut.StatusCode);
        Assert.Equal("url_expired", JsonNode.Parse(await expiredPut.Content.ReadAsStringAsync())!["detail"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_organizations_file_is_404_everywhere()
    {
        var fileId = (await FileUploads.UploadAsync(_host, _api, "a.txt", "hello"u8.ToArray())).ShouldBe(HttpStatusCode.OK).Id;
        var other = _host.Client(StandaloneHost.KeyB);

        AssertError(await other.GetAsync($"/v1/files/{fileId}"), HttpStatusCode.NotFound, "file_not_found");
        AssertError(await other.GetAsync($"/v1/files/{fileId}/download-link"), HttpStatusCode.NotFound, "file_not_found");
        AssertError(await other.PostAsync($"/v1/files/upload/{fileId}/complete", null), HttpStatusCode.NotFound, "file_not_found");
        Assert.Empty((await other.GetAsync("/v1/files")).ShouldBe(HttpStatusCode.OK).Json!["data"]!.AsArray());
    }

    [Fact]
    public async Task The_list_is_paginated_like_every_list()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await FileUploads.MultipartAsync(_api, $"f{i}.txt", Encoding.UTF8.GetBytes($"file {i}"))).ShouldBe(HttpStatusCode.Created).Id);
        await FileUploads.StartAsync(_api, "never-completed.txt", 3);

        var first = (await _api.GetAsync("/v1/files?limit=2")).ShouldBe(HttpStatusCode.OK).Json!;
        var after = first["list_metadata"]!["after"]!.GetValue<string>();
        var second = (await _api.GetAsync($"/v1/files?limit=2&after={after}")).ShouldBe(HttpStatusCode.OK).Json!;

        var listed = first["data"]!.AsArray().Concat(second["data"]!.AsArray()).Select(f => f!["id"]!.GetValue<string>());
        Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        Assert.Null(second["list_metadata"]!["after"]);
        AssertError(await _api.GetAsync("/v1/files?limit=0"), HttpStatusCode.UnprocessableEntity, null);
    }

    [Fact]
    public async Task A_test_input_must_name_a_complete_file_of_the_organization()
    {
        var workflowId = await _api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        var fileId = (await FileUploads.UploadAsync(_host, _api, "a.pdf", TestPdfs.WithPages("hello"))).ShouldBe(HttpStatusCode.OK).Id;
        var pendingId = (await FileUploads.StartAsync(_api, "p.txt", 1))["fileId"]!.GetValue<string>();
        var otherOrganizationsFile = (await FileUploads.UploadAsync(_host, _host.Client(StandaloneHost.KeyB), "b.txt", "b"u8.ToArray())).Id;

        foreach (var unknown in new[] { "file_unknown", pendingId, otherOrganizationsFile })
        {
            var rejected = await _api.PostAsync("/v1/workflows/tests", TestWithFile(workflowId, unknown));
            rejected.ShouldBe(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["body", "source", "handle_inputs", "input-file-document", "document", "id"],
                rejected.Json!["detail"]![0]!["loc"]!.AsArray().Select(l => l!.GetValue<string>()));
        }

        var testId = (await _api.PostAsync("/v1/workflows/tests", TestWithFile(workflowId, fileId))).ShouldBe(HttpStatusCode.Created).Id;
        var patch = new JsonObject { ["source"] = TestWithFile(workflowId, "file_unknown")["source"]!.DeepClone() };
        (await _api.PatchAsync($"/v1/workflows/tests/{testId}", patch)).ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    private static JsonObject TestWithFile(string workflowId, string fileId)
    {
        var body = ApiClient.TestBody(workflowId, "block_echo", null, null, Functions.Condition("exists"));
        body["source"]!["handle_inputs"] = new JsonObject
        {
            ["input-file-document"] = new JsonObject
            {
                ["type"] = "file",
                ["document"] = new JsonObject { ["id"] = fileId, ["filename"] = "a.pdf", ["mime_type"] = "application/pdf" },
            },
        };
        return body;
    }

    private static void AssertError(ApiClient.Response response, HttpStatusCode status, string? code)
    {
        response.ShouldBe(status);
        Assert.DoesNotContain("   at ", response.Text);
        if (code is not null)
            Assert.Equal(code, response.Json!["detail"]!["code"]!.GetValue<string>());
    }
}

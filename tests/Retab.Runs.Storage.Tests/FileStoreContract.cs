using System.Security.Cryptography;
using System.Text;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The contract every <see cref="IFileStore"/> honours, written once. A class of its own rather than a part of
/// <see cref="RunStoreContract"/>: the MongoDB emulator that runs the run contract everywhere does not emulate
/// GridFS, so the MongoDB file store runs this contract against a real server only.
/// </summary>
public abstract class FileStoreContract : IAsyncLifetime
{
    protected const string OrgA = "org_alpha";
    protected const string OrgB = "org_beta";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected IFileStore Files { get; private set; } = null!;

    /// <summary>Opens the store on this test's own storage; called again after <see cref="CloseAsync"/> it sees the same data.</summary>
    protected abstract Task<IFileStore> OpenAsync();

    protected abstract Task CloseAsync();

    protected abstract Task DeleteStorageAsync();

    public async Task InitializeAsync() => Files = await OpenAsync();

    public async Task DisposeAsync()
    {
        await CloseAsync();
        await DeleteStorageAsync();
    }

    private static StoredFile Pending(string org = OrgA, DateTimeOffset? at = null, string filename = "invoice.pdf") => new()
    {
        Id = ResourceIds.New(ResourceIds.File, at ?? T0),
        OrganizationId = org,
        Filename = filename,
        DeclaredContentType = "application/pdf",
        SizeBytes = 5,
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
        UploadExpiresAt = (at ?? T0).AddMinutes(15),
    };

    private static FileFacts FactsOf(byte[] content, params string[] pages) =>
        new("application/pdf", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), pages.Length, pages);

    private async Task<StoredFile> CompletedAsync(string org = OrgA, DateTimeOffset? at = null, params string[] pages)
    {
        var file = Pending(org, at);
        await Files.InsertAsync(file);
        var content = Encoding.UTF8.GetBytes($"content of {file.Id}");
        Assert.True(await Files.SaveContentAsync(org, file.Id, content));
        return (await Files.CompleteAsync(org, file.Id, FactsOf(content, pages.Length > 0 ? pages : ["page one"]), at ?? T0))!;
    }

    [Fact]
    public async Task A_pending_upload_reads_back_as_declared()
    {
        var file = Pending();
        await Files.InsertAsync(file);

        var stored = await Files.GetAsync(OrgA, file.Id);

        Assert.Equal(file, stored);
        Assert.False(stored!.IsComplete);
        Assert.Null(await Files.ReadContentAsync(OrgA, file.Id));
        Assert.Null(await Files.ReadPageTextsAsync(OrgA, file.Id));
    }

    [Fact]
    public async Task Completing_keeps_the_bytes_and_page_texts_and_records_the_facts()
    {
        var file = Pending();
        await Files.InsertAsync(file);
        var content = RandomNumberGenerator.GetBytes(300_000);
        Assert.True(await Files.SaveContentAsync(OrgA, file.Id, content));

        var completed = await Files.CompleteAsync(OrgA, file.Id, FactsOf(content, "first page", "", "third page ✓"), T0.AddSeconds(3));

        Assert.NotNull(completed);
        Assert.Equal(FileStatus.Complete, completed.Status);
        Assert.Equal(3, completed.PageCount);
        Assert.Equal(content.Length, completed.SizeBytes);
        Assert.Equal(T0.AddSeconds(3), completed.UpdatedAt);
        Assert.Equal(completed, await Files.GetAsync(OrgA, file.Id));
        Assert.Equal(content, await Files.ReadContentAsync(OrgA, file.Id));
        Assert.Equal(["first page", "", "third page ✓"], await Files.ReadPageTextsAsync(OrgA, file.Id));
    }

    [Fact]
    public async Task A_pending_upload_may_replace_its_bytes_until_it_completes()
    {
        var file = Pending();
        await Files.InsertAsync(file);
        Assert.True(await Files.SaveContentAsync(OrgA, file.Id, [1, 2, 3]));
        Assert.True(await Files.SaveContentAsync(OrgA, file.Id, [4, 5]));
        Assert.Equal([4, 5], await Files.ReadContentAsync(OrgA, file.Id));

        await Files.CompleteAsync(OrgA, file.Id, FactsOf([4, 5], "p"), T0);

        Assert.False(await Files.SaveContentAsync(OrgA, file.Id, [6]));
        Assert.Equal([4, 5], await Files.ReadContentAsync(OrgA, file.Id));
    }

    [Fact]
    public async Task An_upload_completes_once_and_only_with_content()
    {
        var file = Pending();
        await Files.InsertAsync(file);
        Assert.Null(await Files.CompleteAsync(OrgA, file.Id, FactsOf([1], "p"), T0));

        await Files.SaveContentAsync(OrgA, file.Id, [1]);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Files.CompleteAsync(OrgA, file.Id, FactsOf([1], $"p{i}"), T0.AddSeconds(i))));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, await Files.GetAsync(OrgA, file.Id));
        Assert.Equal(winner!.PageCount, (await Files.ReadPageTextsAsync(OrgA, file.Id))!.Count);
    }

    [Fact]
    public async Task Another_organizations_file_is_not_found()
    {
        var file = await CompletedAsync(OrgA);

        Assert.Null(await Files.GetAsync(OrgB, file.Id));
        Assert.Null(await Files.ReadContentAsync(OrgB, file.Id));
        Assert.Null(await Files.ReadPageTextsAsync(OrgB, file.Id));
        Assert.False(await Files.SaveContentAsync(OrgB, file.Id, [9]));
        Assert.Empty((await Files.ListAsync(OrgB, new PageRequest())).Data);

        var pending = Pending(OrgA);
        await Files.InsertAsync(pending);
        Assert.False(await Files.SaveContentAsync(OrgB, pending.Id, [9]));
        await Files.SaveContentAsync(OrgA, pending.Id, [1]);
        Assert.Null(await Files.CompleteAsync(OrgB, pending.Id, FactsOf([1], "p"), T0));
        Assert.False((await Files.GetAsync(OrgA, pending.Id))!.IsComplete);
    }

    [Fact]
    public async Task Unknown_files_are_absent()
    {
        Assert.Null(await Files.GetAsync(OrgA, "file_unknown"));
        Assert.Null(await Files.ReadContentAsync(OrgA, "file_unknown"));
        Assert.False(await Files.SaveContentAsync(OrgA, "file_unknown", [1]));
        Assert.Null(await Files.CompleteAsync(OrgA, "file_unknown", FactsOf([1], "p"), T0));
    }

    [Fact]
    public async Task The_list_pages_through_complete_files_only_newest_first()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await CompletedAsync(OrgA, T0.AddSeconds(i))).Id);
        await Files.InsertAsync(Pending(OrgA, T0.AddSeconds(10)));
        await CompletedAsync(OrgB, T0.AddSeconds(11));

        var first = await Files.ListAsync(OrgA, new PageRequest(Limit: 2));
        var second = await Files.ListAsync(OrgA, new PageRequest(Limit: 2, After: first.After));
        var third = await Files.ListAsync(OrgA, new PageRequest(Limit: 2, After: second.After));

        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], first.Data.Concat(second.Data).Concat(third.Data).Select(f => f.Id));
        Assert.Null(third.After);
        Assert.Equal(ids, (await Files.ListAsync(OrgA, new PageRequest(Order: SortOrder.Asc))).Data.Select(f => f.Id));
    }

    [Fact]
    public async Task Files_survive_a_reopen()
    {
        var file = await CompletedAsync(OrgA, T0, "only page");

        await CloseAsync();
        Files = await OpenAsync();

        Assert.Equal(file, await Files.GetAsync(OrgA, file.Id));
        Assert.Equal(["only page"], await Files.ReadPageTextsAsync(OrgA, file.Id));
    }
}

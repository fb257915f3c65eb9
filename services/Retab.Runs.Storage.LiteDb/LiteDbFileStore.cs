using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// File metadata in the <c>files</c> collection; the bytes (<c>&lt;file id&gt;</c>) and the page texts as a JSON array
/// (<c>&lt;file id&gt;.pages</c>) in LiteDB's file storage, which chunks them: a document holds at most 16 MB.
/// </summary>
public sealed class LiteDbFileStore(LiteDbContext db) : IFileStore
{
    public Task InsertAsync(StoredFile file, CancellationToken cancellationToken = default)
    {
        db.Files.Insert(ToDocument(file));
        return Task.CompletedTask;
    }

    public Task<StoredFile?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(organizationId, fileId));

    public Task<Page<StoredFile>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(Paging.Read(db.Files, [Filter.Eq("org", organizationId), Filter.Eq("status", FileStatus.Complete.ToString())],
            page, LiteDbContext.FromDocument<StoredFile>, f => f.Id));

    public Task<bool> SaveContentAsync(string organizationId, string fileId, byte[] content, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            if (Find(organizationId, fileId) is not { Status: FileStatus.Pending } file)
                return false;
            using var stream = new MemoryStream(content, writable: false);
            db.Database.FileStorage.Upload(ContentId(fileId), file.Filename, stream);
            return true;
        }));

    public Task<byte[]?> ReadContentAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(organizationId, fileId) is null ? null : Download(ContentId(fileId)));

    public Task<StoredFile?> CompleteAsync(string organizationId, string fileId, FileFacts facts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            if (Find(organizationId, fileId) is not { Status: FileStatus.Pending } file || !db.Database.FileStorage.Exists(ContentId(fileId)))
                return null;
            using var pages = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(facts.PageTexts));
            db.Database.FileStorage.Upload(PagesId(fileId), $"{file.Filename}.pages.json", pages);
            var completed = file with
            {
                Status = FileStatus.Complete,
                MimeType = facts.MimeType,
                SizeBytes = facts.SizeBytes,
                Sha256 = facts.Sha256,
                PageCount = facts.PageCount,
                UpdatedAt = at,
            };
            db.Files.Update(ToDocument(completed));
            return completed;
        }));

    public Task<IReadOnlyList<string>?> ReadPageTextsAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>?>(Find(organizationId, fileId) is { IsComplete: true } && Download(PagesId(fileId)) is { } json
            ? JsonSerializer.Deserialize<List<string>>(json)
            : null);

    private StoredFile? Find(string organizationId, string fileId)
    {
        var document = db.Files.FindById(fileId);
        return document is not null && document["org"].AsString == organizationId ? LiteDbContext.FromDocument<StoredFile>(document) : null;
    }

    private byte[]? Download(string storageId)
    {
        if (!db.Database.FileStorage.Exists(storageId))
            return null;
        using var buffer = new MemoryStream();
        db.Database.FileStorage.Download(storageId, buffer);
        return buffer.ToArray();
    }

    private static string ContentId(string fileId) => fileId;

    private static string PagesId(string fileId) => $"{fileId}.pages";

    private static BsonDocument ToDocument(StoredFile file) =>
        LiteDbContext.ToDocument(StoredDocumentKind.File, file.Id, file, ("org", file.OrganizationId), ("status", file.Status.ToString()));
}

using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Stores;
using static Retab.Runs.Storage.Mongo.MongoFileDefinitions;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// File metadata in <c>files</c>; bytes and page texts in the GridFS bucket <c>file_content</c>. A GridFS upload is
/// not conditional, so each write uploads under a fresh id first and then points the metadata at it with a conditional
/// update (the upload must still be pending); the loser of a race deletes what it uploaded, the winner what it replaced.
/// </summary>
public sealed class MongoFileStore(MongoContext db) : IFileStore
{
    public async Task InsertAsync(StoredFile file, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Files.InsertOneAsync(ToDocument(file), cancellationToken: cancellationToken);
    }

    public async Task<StoredFile?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        await FindAsync(organizationId, fileId, cancellationToken) is { } document ? ToFile(document) : null;

    public async Task<Page<StoredFile>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.Files, CompleteFilesOf(organizationId), page, ToFile, f => f.Id, cancellationToken);
    }

    public async Task<bool> SaveContentAsync(string organizationId, string fileId, byte[] content, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(organizationId, fileId, cancellationToken) is not { } document || ToFile(document).IsComplete)
            return false;
        var contentId = await db.FileContent.UploadFromBytesAsync(fileId, content, cancellationToken: cancellationToken);
        var before = await db.Files.FindOneAndUpdateAsync(PendingFile(organizationId, fileId), AttachContent(contentId), cancellationToken: cancellationToken);
        await DeleteQuietlyAsync(before is null ? contentId : ReadObjectId(before, Fields.ContentId));
        return before is not null;
    }

    public async Task<byte[]?> ReadContentAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        await FindAsync(organizationId, fileId, cancellationToken) is { } document && ReadObjectId(document, Fields.ContentId) is { } contentId
            ? await DownloadAsync(contentId, cancellationToken)
            : null;

    public async Task<StoredFile?> CompleteAsync(string organizationId, string fileId, FileFacts facts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(organizationId, fileId, cancellationToken) is not { } document
            || ToFile(document).IsComplete
            || ReadObjectId(document, Fields.ContentId) is not { } contentId)
            return null;
        var pagesId = await db.FileContent.UploadFromBytesAsync($"{fileId}.pages.json", JsonSerializer.SerializeToUtf8Bytes(facts.PageTexts), cancellationToken: cancellationToken);
        var completed = await db.Files.FindOneAndUpdateAsync(
            PendingFileWithContent(organizationId, fileId, contentId),
            Complete(facts, pagesId, at),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
        if (completed is null)
            await DeleteQuietlyAsync(pagesId);
        return completed is null ? null : ToFile(completed);
    }

    public async Task<IReadOnlyList<string>?> ReadPageTextsAsync(string organizationId, string fileId, CancellationToken cancellationToken = default) =>
        await FindAsync(organizationId, fileId, cancellationToken) is { } document && ReadObjectId(document, Fields.PagesId) is { } pagesId
            && await DownloadAsync(pagesId, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<List<string>>(json)
            : null;

    private async Task<BsonDocument?> FindAsync(string organizationId, string fileId, CancellationToken cancellationToken)
    {
        await db.ReadyAsync(cancellationToken);
        return await db.Files.Find(MongoDefinitions.Owned(organizationId, fileId)).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<byte[]?> DownloadAsync(ObjectId id, CancellationToken cancellationToken)
    {
        try
        {
            return await db.FileContent.DownloadAsBytesAsync(id, cancellationToken: cancellationToken);
        }
        catch (GridFSFileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Content no document points at any more; a failure only leaves an orphan chunk set behind, never a wrong answer.</summary>
    private async Task DeleteQuietlyAsync(ObjectId? id)
    {
        if (id is not { } gridFsId)
            return;
        try
        {
            await db.FileContent.DeleteAsync(gridFsId);
        }
        catch (GridFSFileNotFoundException)
        {
        }
    }
}

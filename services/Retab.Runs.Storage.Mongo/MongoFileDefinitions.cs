using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Stores;
using static Retab.Runs.Storage.Mongo.MongoDocuments;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// The filters and updates of the file store, and its documents: fixed-name fields only (a file holds no user JSON;
/// its bytes and page texts are GridFS files). Built here so unit tests render them without a server.
/// </summary>
public static class MongoFileDefinitions
{
    private static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;
    private static UpdateDefinitionBuilder<BsonDocument> Update => Builders<BsonDocument>.Update;

    public static string Name(FileStatus status) => status.ToString().ToLowerInvariant();

    /// <summary><c>GET /v1/files</c>: the organization's complete files.</summary>
    public static FilterDefinition<BsonDocument> CompleteFilesOf(string organizationId) =>
        Filter.And(Filter.Eq(Fields.OrganizationId, organizationId), Filter.Eq(Fields.Status, Name(FileStatus.Complete)));

    /// <summary>The organization's file while its upload is pending: the guard of every write to a file.</summary>
    public static FilterDefinition<BsonDocument> PendingFile(string organizationId, string fileId) =>
        Filter.And(MongoDefinitions.Owned(organizationId, fileId), Filter.Eq(Fields.Status, Name(FileStatus.Pending)));

    /// <summary>A pending upload whose bytes are still the ones the caller checked (a PUT in between would change them).</summary>
    public static FilterDefinition<BsonDocument> PendingFileWithContent(string organizationId, string fileId, ObjectId contentId) =>
        Filter.And(PendingFile(organizationId, fileId), Filter.Eq(Fields.ContentId, contentId));

    public static UpdateDefinition<BsonDocument> AttachContent(ObjectId contentId) => Update.Set(Fields.ContentId, contentId);

    public static UpdateDefinition<BsonDocument> Complete(FileFacts facts, ObjectId pagesId, DateTimeOffset at) => Update
        .Set(Fields.Status, Name(FileStatus.Complete))
        .Set(Fields.MimeType, facts.MimeType)
        .Set(Fields.SizeBytes, facts.SizeBytes)
        .Set(Fields.Sha256, facts.Sha256)
        .Set(Fields.PageCount, facts.PageCount)
        .Set(Fields.PagesId, pagesId)
        .Set(Fields.UpdatedAt, Time(at));

    public static BsonDocument ToDocument(StoredFile file) => Bounded(StoredDocumentKind.File, file.Id, new()
    {
        { Fields.Id, file.Id },
        { Fields.OrganizationId, file.OrganizationId },
        { Fields.Filename, file.Filename },
        { Fields.DeclaredContentType, Text(file.DeclaredContentType) },
        { Fields.MimeType, Text(file.MimeType) },
        { Fields.SizeBytes, file.SizeBytes },
        { Fields.Sha256, Text(file.Sha256) },
        { Fields.PageCount, file.PageCount is { } pages ? pages : BsonNull.Value },
        { Fields.Status, Name(file.Status) },
        { Fields.CreatedAt, Time(file.CreatedAt) },
        { Fields.UpdatedAt, Time(file.UpdatedAt) },
        { Fields.UploadExpiresAt, Time(file.UploadExpiresAt) },
    });

    public static StoredFile ToFile(BsonDocument document) => new()
    {
        Id = document[Fields.Id].AsString,
        OrganizationId = document[Fields.OrganizationId].AsString,
        Filename = document[Fields.Filename].AsString,
        DeclaredContentType = ReadText(document, Fields.DeclaredContentType),
        MimeType = ReadText(document, Fields.MimeType),
        SizeBytes = document[Fields.SizeBytes].ToInt64(),
        Sha256 = ReadText(document, Fields.Sha256),
        PageCount = document.TryGetValue(Fields.PageCount, out var pages) && !pages.IsBsonNull ? pages.ToInt32() : null,
        Status = Enum.Parse<FileStatus>(document[Fields.Status].AsString, ignoreCase: true),
        CreatedAt = ReadTime(document[Fields.CreatedAt]),
        UpdatedAt = ReadTime(document[Fields.UpdatedAt]),
        UploadExpiresAt = ReadTime(document[Fields.UploadExpiresAt]),
    };

    /// <summary>The GridFS id stored in <paramref name="field"/>, if any.</summary>
    public static ObjectId? ReadObjectId(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && value.IsObjectId ? value.AsObjectId : null;
}

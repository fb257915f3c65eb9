using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Files;
using static Retab.Runs.Storage.Mongo.MongoFileDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The file store's filters, updates and documents rendered to BSON without a server.</summary>
public sealed class FileBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_list_reads_one_organizations_complete_files()
    {
        Assert.Equal(new BsonDocument { { "organization_id", "org_a" }, { "status", "complete" } }, CompleteFilesOf("org_a").Render(Args));
    }

    [Fact]
    public void Bytes_change_only_on_the_organizations_pending_upload()
    {
        Assert.Equal(new BsonDocument { { "_id", "file_1" }, { "organization_id", "org_a" }, { "status", "pending" } },
            PendingFile("org_a", "file_1").Render(Args));
        var contentId = ObjectId.GenerateNewId();
        Assert.Equal(new BsonDocument("$set", new BsonDocument("content_id", contentId)), AttachContent(contentId).Render(Args).AsBsonDocument);
    }

    [Fact]
    public void Completing_is_guarded_by_the_pending_status_and_the_bytes_that_were_checked()
    {
        var contentId = ObjectId.GenerateNewId();
        var pagesId = ObjectId.GenerateNewId();

        var filter = PendingFileWithContent("org_a", "file_1", contentId).Render(Args);
        var update = Complete(new FileFacts("application/pdf", 42, "ab12", 3, ["a", "b", "c"]), pagesId, T0).Render(Args).AsBsonDocument;

        Assert.Equal(new BsonDocument { { "_id", "file_1" }, { "organization_id", "org_a" }, { "status", "pending" }, { "content_id", contentId } }, filter);
        Assert.Equal(new BsonDocument("$set", new BsonDocument
        {
            { "status", "complete" },
            { "mime_type", "application/pdf" },
            { "size_bytes", 42L },
            { "sha256", "ab12" },
            { "page_count", 3 },
            { "pages_id", pagesId },
            { "updated_at", new BsonDateTime(T0.ToUnixTimeMilliseconds()) },
        }), update);
    }

    [Fact]
    public void Files_are_listed_by_organization_and_status_in_id_order()
    {
        var index = Assert.Single(MongoSchema.Indexes(null)[MongoSchema.Files]);
        Assert.Equal(new BsonDocument { { "organization_id", 1 }, { "status", 1 }, { "_id", 1 } }, index.Keys.Render(Args));
    }

    [Fact]
    public void A_file_round_trips_through_its_document()
    {
        var file = new StoredFile
        {
            Id = "file_1",
            OrganizationId = "org_a",
            Filename = "$weird.name.pdf",
            DeclaredContentType = "application/pdf",
            MimeType = "application/pdf",
            SizeBytes = 5_000_000_000,
            Sha256 = "ab12",
            PageCount = 7,
            Status = FileStatus.Complete,
            CreatedAt = T0,
            UpdatedAt = T0.AddSeconds(1),
            UploadExpiresAt = T0.AddMinutes(15),
        };
        Assert.Equal(file, ToFile(ToDocument(file)));
        var pending = file with { MimeType = null, Sha256 = null, PageCount = null, Status = FileStatus.Pending };
        Assert.Equal(pending, ToFile(ToDocument(pending)));
    }
}

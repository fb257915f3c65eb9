using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The count behind the runs-in-flight gauge, rendered without a server: every organization, active statuses only.</summary>
public class ActiveRunsBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Fact]
    public void Active_runs_are_the_pending_queued_and_running_ones_of_every_organization()
    {
        Assert.Equal(
            new BsonDocument("status", new BsonDocument("$in", new BsonArray { "pending", "queued", "running" })),
            MongoDefinitions.ActiveRuns().Render(Args));
    }
}

using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Webhooks;
using static Retab.Runs.Storage.Mongo.MongoWebhookDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The webhook store's filters, updates, indexes and documents rendered to BSON without a server.</summary>
public sealed class WebhookBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static BsonDateTime Date(DateTimeOffset at) => new(at.ToUnixTimeMilliseconds());

    [Fact]
    public void Webhooks_and_their_deliveries_are_read_within_one_organization()
    {
        Assert.Equal(new BsonDocument("organization_id", "org_a"), WebhooksOf("org_a").Render(Args));
        Assert.Equal(new BsonDocument { { "organization_id", "org_a" }, { "webhook_id", "wh_1" } }, DeliveriesOf("org_a", "wh_1").Render(Args));
        Assert.Equal(new BsonDocument("delivery_key", "run|wh|type"), DeliveryByKey("run|wh|type").Render(Args));
    }

    [Fact]
    public void Due_deliveries_are_pending_ones_up_to_now_longest_due_first()
    {
        Assert.Equal(new BsonDocument { { "status", "pending" }, { "next_attempt_at", new BsonDocument("$lte", Date(T0)) } }, Due(T0).Render(Args));
        Assert.Equal(new BsonDocument("next_attempt_at", 1), ByDueTime.Render(Args));
    }

    [Fact]
    public void A_claim_moves_the_due_time_only_if_it_is_still_the_one_read()
    {
        Assert.Equal(new BsonDocument { { "_id", "msg_1" }, { "status", "pending" }, { "next_attempt_at", Date(T0) } }, PendingAt("msg_1", T0).Render(Args));
        Assert.Equal(new BsonDocument("$set", new BsonDocument("next_attempt_at", Date(T0.AddSeconds(40)))), Claim(T0.AddSeconds(40)).Render(Args).AsBsonDocument);
    }

    [Fact]
    public void Recording_an_attempt_appends_it_and_settles_or_reschedules()
    {
        var attempt = new DeliveryAttempt(T0, 500, 12, "The receiver answered 500.");
        var attemptDocument = new BsonDocument { { "at", Date(T0) }, { "status_code", 500 }, { "duration_ms", 12L }, { "error", "The receiver answered 500." } };

        Assert.Equal(new BsonDocument
        {
            { "$push", new BsonDocument("attempts", attemptDocument) },
            { "$set", new BsonDocument { { "status", "pending" }, { "next_attempt_at", Date(T0.AddSeconds(5)) } } },
        }, RecordAttempt(attempt, DeliveryStatus.Pending, T0.AddSeconds(5)).Render(Args).AsBsonDocument);
        Assert.Equal(new BsonDocument { { "status", "delivered" }, { "next_attempt_at", BsonNull.Value } },
            RecordAttempt(attempt with { StatusCode = 200, Error = null }, DeliveryStatus.Delivered, T0.AddSeconds(5)).Render(Args)["$set"].AsBsonDocument);
    }

    [Fact]
    public void Deliveries_have_a_unique_key_and_are_found_by_organization_webhook_and_due_time()
    {
        var indexes = MongoSchema.Indexes(null);
        var keys = indexes[MongoSchema.WebhookDeliveries].Select(i => (i.Keys.Render(Args), i.Options.Unique == true)).ToList();

        Assert.Equal(
        [
            (new BsonDocument("delivery_key", 1), true),
            (new BsonDocument { { "organization_id", 1 }, { "webhook_id", 1 }, { "_id", 1 } }, false),
            (new BsonDocument { { "status", 1 }, { "next_attempt_at", 1 } }, false),
        ], keys);
        Assert.Equal(new BsonDocument { { "organization_id", 1 }, { "_id", 1 } }, Assert.Single(indexes[MongoSchema.Webhooks]).Keys.Render(Args));
    }

    [Fact]
    public void Webhooks_and_deliveries_round_trip_through_their_documents()
    {
        var webhook = new Webhook("wh_1", "org_a", "https://hooks.example.com/$x", WebhookEvents.All, WebhookSecret.New(), T0);
        Assert.Equivalent(webhook, ToWebhook(ToDocument(webhook)), strict: true);

        var delivery = new WebhookDelivery("msg_1", "wh_1", "org_a", WebhookEvents.TestRunRegressed, "wftestrun_1", """{"$gt":{"a.b":""}}""",
            [new DeliveryAttempt(T0, null, 10_000, "No answer within 10 s."), new DeliveryAttempt(T0.AddSeconds(5), 502, 7, "The receiver answered 502.")],
            DeliveryStatus.Pending, T0.AddSeconds(15), T0);
        var document = ToDocument(delivery);
        Assert.Equal("wftestrun_1|wh_1|test_run.regressed", document["delivery_key"].AsString);
        Assert.Equal(2, document["attempts"].AsBsonArray.Count);
        Assert.Equivalent(delivery, ToDelivery(document), strict: true);

        var delivered = delivery with { Status = DeliveryStatus.Delivered, NextAttemptAt = null };
        Assert.Equal(BsonNull.Value, ToDocument(delivered)["next_attempt_at"]);
        Assert.Equivalent(delivered, ToDelivery(ToDocument(delivered)), strict: true);
    }
}

using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The contract every <see cref="IWebhookStore"/> honours, written once: webhooks belong to one organization (another
/// one never finds them), deliveries are unique per run, webhook and event, and sending is coordinated by the store
/// alone — a due delivery is claimed by exactly one sender, is not due again while its claim lasts, and its attempt is
/// recorded only under that claim.
/// </summary>
public abstract class WebhookStoreContract : IAsyncLifetime
{
    protected const string OrgA = "org_alpha";
    protected const string OrgB = "org_beta";
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected IWebhookStore Store { get; private set; } = null!;

    /// <summary>Opens the store on this test's own storage; called again after <see cref="CloseAsync"/> it sees the same data.</summary>
    protected abstract Task<IWebhookStore> OpenAsync();

    protected abstract Task CloseAsync();

    protected abstract Task DeleteStorageAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        await CloseAsync();
        await DeleteStorageAsync();
    }

    private static Webhook NewWebhook(string org = OrgA, DateTimeOffset? at = null, params string[] events) =>
        new(ResourceIds.New(ResourceIds.Webhook, at ?? T0), org, "https://hooks.example.com/$weird.path?a=b", events.Length == 0 ? WebhookEvents.All : events,
            WebhookSecret.New(), at ?? T0);

    private static WebhookDelivery NewDelivery(Webhook webhook, string runId = "wftestrun_1", string eventType = WebhookEvents.TestRunCompleted, DateTimeOffset? due = null) =>
        new(ResourceIds.New(ResourceIds.WebhookMessage, due ?? T0), webhook.Id, webhook.OrganizationId, eventType, runId,
            """{"type":"test_run.completed","run_id":"wftestrun_1","$gt":{"a.b":""}}""", [], DeliveryStatus.Pending, due ?? T0, T0);

    private async Task<(Webhook Webhook, WebhookDelivery Delivery)> StoredDeliveryAsync(DateTimeOffset? due = null)
    {
        var webhook = NewWebhook();
        await Store.InsertAsync(webhook);
        var delivery = NewDelivery(webhook, due: due);
        Assert.True(await Store.InsertDeliveryAsync(delivery));
        return (webhook, delivery);
    }

    [Fact]
    public async Task A_webhook_is_read_back_whole_by_its_organization_only()
    {
        var webhook = NewWebhook();
        await Store.InsertAsync(webhook);

        Assert.Equivalent(webhook, await Store.GetAsync(OrgA, webhook.Id), strict: true);
        Assert.Null(await Store.GetAsync(OrgB, webhook.Id));
        Assert.Null(await Store.GetAsync(OrgA, ResourceIds.New(ResourceIds.Webhook)));
    }

    [Fact]
    public async Task Webhooks_are_listed_per_organization_in_creation_order_page_by_page()
    {
        var ofA = Enumerable.Range(0, 5).Select(i => NewWebhook(OrgA, T0.AddMinutes(i))).ToList();
        var ofB = NewWebhook(OrgB, T0.AddMinutes(2));
        foreach (var webhook in ofA.Append(ofB).Reverse())
            await Store.InsertAsync(webhook);

        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await Store.ListAsync(OrgA, new PageRequest(2, After: after, Order: SortOrder.Asc));
            ids.AddRange(page.Data.Select(w => w.Id));
            after = page.After;
        } while (after is not null);

        Assert.Equal(ofA.Select(w => w.Id), ids);
        Assert.Equal(ofA.Select(w => w.Id).Reverse().Take(2), (await Store.ListAsync(OrgA, new PageRequest(2))).Data.Select(w => w.Id));
        Assert.Equal([ofB.Id], (await Store.ListAsync(OrgB, new PageRequest())).Data.Select(w => w.Id));
    }

    [Fact]
    public async Task Subscribers_are_the_organizations_webhooks_for_that_event()
    {
        var both = NewWebhook(OrgA, T0);
        var completedOnly = NewWebhook(OrgA, T0.AddSeconds(1), WebhookEvents.TestRunCompleted);
        var regressedOnly = NewWebhook(OrgA, T0.AddSeconds(2), WebhookEvents.TestRunRegressed);
        var otherOrg = NewWebhook(OrgB, T0);
        foreach (var webhook in new[] { both, completedOnly, regressedOnly, otherOrg })
            await Store.InsertAsync(webhook);

        Assert.Equal([both.Id, completedOnly.Id], (await Store.SubscribersAsync(OrgA, WebhookEvents.TestRunCompleted)).Select(w => w.Id));
        Assert.Equal([both.Id, regressedOnly.Id], (await Store.SubscribersAsync(OrgA, WebhookEvents.TestRunRegressed)).Select(w => w.Id));
        Assert.Empty(await Store.SubscribersAsync("org_none", WebhookEvents.TestRunCompleted));
    }

    [Fact]
    public async Task Deleting_a_webhook_deletes_its_deliveries_and_only_its_organization_can()
    {
        var (webhook, delivery) = await StoredDeliveryAsync();
        var kept = NewWebhook();
        await Store.InsertAsync(kept);
        var keptDelivery = NewDelivery(kept);
        await Store.InsertDeliveryAsync(keptDelivery);

        Assert.False(await Store.DeleteAsync(OrgB, webhook.Id));
        Assert.NotNull(await Store.GetAsync(OrgA, webhook.Id));

        Assert.True(await Store.DeleteAsync(OrgA, webhook.Id));
        Assert.Null(await Store.GetAsync(OrgA, webhook.Id));
        Assert.Null(await Store.GetDeliveryAsync(delivery.Id));
        Assert.Equal([keptDelivery.Id], (await Store.DueDeliveriesAsync(T0, 10)).Select(d => d.Id));
        Assert.False(await Store.DeleteAsync(OrgA, webhook.Id));
    }

    [Fact]
    public async Task A_delivery_is_stored_once_per_run_webhook_and_event()
    {
        var (webhook, delivery) = await StoredDeliveryAsync();

        Assert.False(await Store.InsertDeliveryAsync(NewDelivery(webhook)));
        Assert.True(await Store.InsertDeliveryAsync(NewDelivery(webhook, eventType: WebhookEvents.TestRunRegressed)));
        Assert.True(await Store.InsertDeliveryAsync(NewDelivery(webhook, runId: "wftestrun_2")));

        Assert.Equivalent(delivery, await Store.GetDeliveryAsync(delivery.Id), strict: true);
        var listed = await Store.ListDeliveriesAsync(OrgA, webhook.Id, new PageRequest(Order: SortOrder.Asc));
        Assert.Equal(3, listed.Data.Count);
        Assert.Contains(delivery.Id, listed.Data.Select(d => d.Id));
        Assert.Equal(listed.Data.Select(d => d.Id).Order(StringComparer.Ordinal), listed.Data.Select(d => d.Id));
        Assert.Empty((await Store.ListDeliveriesAsync(OrgB, webhook.Id, new PageRequest())).Data);
    }

    [Fact]
    public async Task Due_deliveries_are_the_pending_ones_whose_time_has_come_longest_due_first()
    {
        var webhook = NewWebhook();
        await Store.InsertAsync(webhook);
        var later = NewDelivery(webhook, "wftestrun_later", due: T0.AddSeconds(10));
        var first = NewDelivery(webhook, "wftestrun_first", due: T0.AddSeconds(-5));
        var second = NewDelivery(webhook, "wftestrun_second", due: T0);
        foreach (var delivery in new[] { later, second, first })
            await Store.InsertDeliveryAsync(delivery);

        Assert.Equal([first.Id, second.Id], (await Store.DueDeliveriesAsync(T0, 10)).Select(d => d.Id));
        Assert.Equal([first.Id], (await Store.DueDeliveriesAsync(T0, 1)).Select(d => d.Id));
        Assert.Equal([first.Id, second.Id, later.Id], (await Store.DueDeliveriesAsync(T0.AddSeconds(10), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task A_due_delivery_is_claimed_by_one_sender_and_is_due_again_only_when_the_claim_lapses()
    {
        var (_, delivery) = await StoredDeliveryAsync();
        var lease = T0.AddSeconds(40);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Store.TryClaimAsync(delivery.Id, T0, lease.AddMilliseconds(i))));

        Assert.Single(claims, won => won);
        Assert.Empty(await Store.DueDeliveriesAsync(T0.AddSeconds(39), 10));
        Assert.False(await Store.TryClaimAsync(delivery.Id, T0, lease));
        var lapsed = Assert.Single(await Store.DueDeliveriesAsync(T0.AddSeconds(41), 10));
        Assert.True(await Store.TryClaimAsync(delivery.Id, lapsed.NextAttemptAt!.Value, T0.AddSeconds(90)));
    }

    [Fact]
    public async Task An_attempt_is_recorded_only_under_its_claim_and_settles_or_reschedules_the_delivery()
    {
        var (_, delivery) = await StoredDeliveryAsync();
        var lease = T0.AddSeconds(40);
        Assert.True(await Store.TryClaimAsync(delivery.Id, T0, lease));
        var failed = new DeliveryAttempt(T0, 500, 12, "The receiver answered 500.");

        Assert.False(await Store.RecordAttemptAsync(delivery.Id, lease.AddSeconds(1), failed, DeliveryStatus.Pending, T0.AddSeconds(5)));
        Assert.True(await Store.RecordAttemptAsync(delivery.Id, lease, failed, DeliveryStatus.Pending, T0.AddSeconds(5)));
        Assert.False(await Store.RecordAttemptAsync(delivery.Id, lease, failed, DeliveryStatus.Pending, T0.AddSeconds(5)));

        var retry = Assert.Single(await Store.DueDeliveriesAsync(T0.AddSeconds(5), 10));
        Assert.Equal([failed], retry.Attempts);
        Assert.Equal(T0.AddSeconds(5), retry.NextAttemptAt);

        var secondLease = T0.AddSeconds(45);
        Assert.True(await Store.TryClaimAsync(delivery.Id, T0.AddSeconds(5), secondLease));
        var timedOut = new DeliveryAttempt(T0.AddSeconds(5), null, 10_000, "No answer within 10 s.");
        var delivered = new DeliveryAttempt(T0.AddSeconds(20), 204, 3, null);
        Assert.True(await Store.RecordAttemptAsync(delivery.Id, secondLease, timedOut, DeliveryStatus.Pending, T0.AddSeconds(20)));
        Assert.True(await Store.TryClaimAsync(delivery.Id, T0.AddSeconds(20), T0.AddSeconds(60)));
        Assert.True(await Store.RecordAttemptAsync(delivery.Id, T0.AddSeconds(60), delivered, DeliveryStatus.Delivered, T0.AddHours(1)));

        var settled = (await Store.GetDeliveryAsync(delivery.Id))!;
        Assert.Equal(DeliveryStatus.Delivered, settled.Status);
        Assert.Null(settled.NextAttemptAt);
        Assert.Equal([failed, timedOut, delivered], settled.Attempts);
        Assert.Empty(await Store.DueDeliveriesAsync(T0.AddDays(2), 10));
        Assert.False(await Store.TryClaimAsync(delivery.Id, T0.AddSeconds(60), T0.AddSeconds(90)));
    }

    [Fact]
    public async Task A_delivery_that_gives_up_is_failed_and_never_due_again()
    {
        var (_, delivery) = await StoredDeliveryAsync();
        Assert.True(await Store.TryClaimAsync(delivery.Id, T0, T0.AddSeconds(40)));

        Assert.True(await Store.RecordAttemptAsync(delivery.Id, T0.AddSeconds(40), new DeliveryAttempt(T0, 503, 4, "x"), DeliveryStatus.Failed, null));

        Assert.Equal(DeliveryStatus.Failed, (await Store.GetDeliveryAsync(delivery.Id))!.Status);
        Assert.Empty(await Store.DueDeliveriesAsync(T0.AddDays(2), 10));
    }

    [Fact]
    public async Task Webhooks_and_deliveries_outlive_the_process_that_stored_them()
    {
        var (webhook, delivery) = await StoredDeliveryAsync();
        Assert.True(await Store.TryClaimAsync(delivery.Id, T0, T0.AddSeconds(40)));

        await CloseAsync();
        Store = await OpenAsync();

        Assert.Equivalent(webhook, await Store.GetAsync(OrgA, webhook.Id), strict: true);
        Assert.Equal(T0.AddSeconds(40), (await Store.GetDeliveryAsync(delivery.Id))!.NextAttemptAt);
        Assert.False(await Store.InsertDeliveryAsync(NewDelivery(webhook)));
    }
}

using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Contracts;
using Xunit.Abstractions;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Signed webhooks on the real standalone host, delivered to a receiver on loopback Kestrel inside the test: what is
/// sent and how it is signed (checked here with nothing but HMAC-SHA256 and the secret), retries, a dead receiver,
/// redelivered completions, the target guard, and the routes.
/// </summary>
public sealed class WebhookTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Fast retries and polls, a short send timeout, and loopback targets allowed (the receiver is on 127.0.0.1).</summary>
    private static readonly Dictionary<string, string?> FastDelivery = new()
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.200",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:SendTimeout"] = "00:00:01",
    };

    private readonly List<IDisposable> _hosts = [];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
            host.Dispose();
        await _receiver.DisposeAsync();
    }

    private StandaloneHost Host(Dictionary<string, string?>? settings = null)
    {
        var host = new StandaloneHost(settings: settings ?? FastDelivery);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task A_finished_run_is_delivered_once_signed_with_the_webhook_secret()
    {
        var api = Host().Client();
        var webhook = (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = _receiver.Url, ["events"] = new JsonArray("test_run.completed") }))
            .ShouldBe(HttpStatusCode.Created).Json!;
        var secret = webhook["secret"]!.GetValue<string>();

        var (workflowId, runId) = await RunOneTestAsync(api);

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        output.WriteLine(received.Describe());
        var id = received.Headers["webhook-id"];
        var timestamp = received.Headers["webhook-timestamp"];
        Assert.StartsWith("msg_", id);
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(ExpectedSignature(secret, id, timestamp, received.Body), received.Headers["webhook-signature"]);
        Assert.NotEqual(ExpectedSignature("whsec_" + Convert.ToBase64String(new byte[32]), id, timestamp, received.Body), received.Headers["webhook-signature"]);
        Assert.StartsWith("application/json", received.Headers["content-type"]);

        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal(["type", "run_id", "workflow_id", "status", "counts", "regressions", "created_at"], body.Select(p => p.Key));
        Assert.Equal("test_run.completed", body["type"]!.GetValue<string>());
        Assert.Equal(runId, body["run_id"]!.GetValue<string>());
        Assert.Equal(workflowId, body["workflow_id"]!.GetValue<string>());
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        var run = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(run["counts"]!.ToJsonString(), body["counts"]!.ToJsonString());

        var delivery = Assert.Single(await DeliveriesAsync(api, webhook["id"]!.GetValue<string>(), d => d["status"]!.GetValue<string>() == "delivered"));
        Assert.Equal(id, delivery["id"]!.GetValue<string>());
        Assert.Equal(runId, delivery["run_id"]!.GetValue<string>());
        Assert.Equal(200, delivery["last_status_code"]!.GetValue<int>());
        Assert.Null(delivery["next_attempt_at"]);
        Assert.Equal(200, Assert.Single(delivery["attempts"]!.AsArray())!["status_code"]!.GetValue<int>());

        await Task.Delay(500);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task A_receiver_answering_500_twice_then_200_gets_one_successful_delivery_after_two_retries()
    {
        _receiver.Answer = n => n < 2 ? StatusCodes500 : 200;
        var api = Host().Client();
        var webhookId = await CreateWebhookAsync(api, _receiver.Url);

        await RunOneTestAsync(api);

        var delivery = Assert.Single(await DeliveriesAsync(api, webhookId, d => d["status"]!.GetValue<string>() == "delivered"));
        Assert.Equal([500, 500, 200], delivery["attempts"]!.AsArray().Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.All(delivery["attempts"]!.AsArray(), a => Assert.True(a!["duration_ms"]!.GetValue<long>() >= 0));
        Assert.Null(delivery["next_attempt_at"]);

        await Task.Delay(800);
        var received = _receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.Equal(1, received.Count(r => r.AnsweredWith == 200));
        // Exponential backoff from 200 ms (±20 %): at least 160 ms before the first retry, at least 320 ms before the second.
        var times = string.Join(", ", received.Select(r => r.At.ToString("HH:mm:ss.fff")));
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromMilliseconds(140), times);
        Assert.True(received[2].At - received[1].At >= TimeSpan.FromMilliseconds(300), times);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_leaves_runs_their_completion_and_other_organizations_deliveries_unaffected()
    {
        _receiver.Answer = _ => WebhookReceiver.NeverAnswer;
        await using var healthy = await WebhookReceiver.StartAsync();
        var host = Host();
        var (api, other) = (host.Client(), host.Client(StandaloneHost.KeyB));
        var deadWebhookId = await CreateWebhookAsync(api, _receiver.Url);
        var healthyWebhookId = await CreateWebhookAsync(other, healthy.Url);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            var (_, runId) = await RunOneTestAsync(api);
            Assert.Equal("completed", (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).Json!["lifecycle"]!["status"]!.GetValue<string>());
        }
        var (_, otherRunId) = await RunOneTestAsync(other);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Runs took {clock.Elapsed} next to a dead receiver.");

        var received = Assert.Single(await healthy.WaitForAsync(1));
        Assert.Equal(otherRunId, JsonNode.Parse(received.Body)!["run_id"]!.GetValue<string>());
        Assert.Single(await DeliveriesAsync(other, healthyWebhookId, d => d["status"]!.GetValue<string>() == "delivered"));

        var pending = await DeliveriesAsync(api, deadWebhookId, d => d["attempts"]!.AsArray().Count >= 1, expected: 3);
        Assert.All(pending, d =>
        {
            Assert.Equal("pending", d["status"]!.GetValue<string>());
            Assert.NotNull(d["next_attempt_at"]);
            var attempt = d["attempts"]![0]!;
            Assert.Null(attempt["status_code"]);
            Assert.Contains("No answer within 1 s", attempt["error"]!.GetValue<string>());
            Assert.InRange(attempt["duration_ms"]!.GetValue<long>(), 900, 5000);
        });
    }

    [Fact]
    public async Task A_redelivered_run_completion_records_one_delivery_per_webhook_and_event()
    {
        var host = Host();
        var api = host.Client();
        var both = await CreateWebhookAsync(api, _receiver.Url, "test_run.completed", "test_run.regressed");
        var regressedOnly = await CreateWebhookAsync(api, _receiver.Url, "test_run.regressed");
        var completion = new TestRunCompleted
        {
            RunId = "wftestrun_0000000000redelivered00000000",
            OrganizationId = "org_a",
            WorkflowId = "wf_00000000000000000000000000000000",
            Status = "completed",
            Counts = new RunCountsSnapshot(0, 0, 0, 3, 0, 0, 1, 2, 0),
            TotalTests = 3,
            Regressions = 2,
            Fixes = 0,
        };

        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(completion);
        await bus.Publish(completion);
        await _receiver.WaitForAsync(3);
        await Task.Delay(1000);
        await bus.Publish(completion);
        await Task.Delay(1000);

        var types = _receiver.Received.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["test_run.completed", "test_run.regressed", "test_run.regressed"], types);
        Assert.All(_receiver.Received, r => Assert.Equal(2, JsonNode.Parse(r.Body)!["regressions"]!.GetValue<int>()));
        Assert.Equal(2, (await DeliveriesAsync(api, both, d => d["status"]!.GetValue<string>() == "delivered", expected: 2)).Count);
        Assert.Single(await DeliveriesAsync(api, regressedOnly, d => d["status"]!.GetValue<string>() == "delivered"));
    }

    public static TheoryData<string> InsideTargets => new()
    {
        "http://169.254.169.254/", "http://10.0.0.1/", "http://127.0.0.1:9/hooks", "http://localhost/hooks", "http://[::1]/",
        "http://[::ffff:10.0.0.1]/", "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/",
    };

    [Theory]
    [MemberData(nameof(InsideTargets))]
    public async Task Private_loopback_and_link_local_targets_are_refused_without_sending_anything(string url)
    {
        var api = Host(new Dictionary<string, string?>()).Client();

        var refused = (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = url, ["events"] = new JsonArray("test_run.completed") }))
            .ShouldBe(HttpStatusCode.UnprocessableEntity).Json!;
        var error = Assert.Single(refused["detail"]!.AsArray())!;
        Assert.Equal(["body", "url"], error["loc"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("value_error", error["type"]!.GetValue<string>());
        Assert.Contains("AllowPrivateTargets", error["msg"]!.GetValue<string>());

        var refusedReceiver = (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = _receiver.Url, ["events"] = new JsonArray("test_run.completed") }))
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await api.GetAsync("/v1/webhooks")).Json!["data"]!.AsArray());
        Assert.Empty(_receiver.Received);
        Assert.NotNull(refusedReceiver.Json);
    }

    [Fact]
    public async Task Webhooks_are_created_read_listed_and_deleted_per_organization_and_the_secret_is_shown_once()
    {
        var host = Host();
        var (api, other) = (host.Client(), host.Client(StandaloneHost.KeyB));
        var givenSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        var created = (await api.PostAsync("/v1/webhooks", new JsonObject
        {
            ["url"] = _receiver.Url,
            ["events"] = new JsonArray("test_run.regressed", "test_run.completed", "test_run.regressed"),
            ["secret"] = givenSecret,
        })).ShouldBe(HttpStatusCode.Created).Json!;
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("wh_", id);
        Assert.Equal(givenSecret, created["secret"]!.GetValue<string>());
        Assert.Equal(["test_run.regressed", "test_run.completed"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var generated = (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = _receiver.Url, ["events"] = new JsonArray("test_run.completed") }))
            .ShouldBe(HttpStatusCode.Created).Json!;
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", generated["secret"]!.GetValue<string>());

        var read = (await api.GetAsync($"/v1/webhooks/{id}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Null(read["secret"]);
        Assert.Equal(_receiver.Url, read["url"]!.GetValue<string>());
        var listed = (await api.GetAsync("/v1/webhooks?order=asc&limit=1")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(id, listed["data"]![0]!["id"]!.GetValue<string>());
        Assert.Null(listed["data"]![0]!["secret"]);
        Assert.NotNull(listed["list_metadata"]!["after"]);
        Assert.Empty((await api.GetAsync($"/v1/webhooks/{id}/deliveries")).ShouldBe(HttpStatusCode.OK).Json!["data"]!.AsArray());

        Assert.Empty((await other.GetAsync("/v1/webhooks")).Json!["data"]!.AsArray());
        (await other.GetAsync($"/v1/webhooks/{id}")).ShouldFailWith(HttpStatusCode.NotFound, "webhook_not_found", id);
        (await other.GetAsync($"/v1/webhooks/{id}/deliveries")).ShouldFailWith(HttpStatusCode.NotFound, "webhook_not_found", id);
        (await other.DeleteAsync($"/v1/webhooks/{id}")).ShouldFailWith(HttpStatusCode.NotFound, "webhook_not_found", id);

        (await api.DeleteAsync($"/v1/webhooks/{id}")).ShouldBe(HttpStatusCode.NoContent);
        (await api.GetAsync($"/v1/webhooks/{id}")).ShouldFailWith(HttpStatusCode.NotFound, "webhook_not_found", id);
        (await api.DeleteAsync($"/v1/webhooks/{id}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_body_is_a_422_naming_every_problem()
    {
        var api = Host().Client();

        var refused = (await api.PostAsync("/v1/webhooks", new JsonObject
        {
            ["url"] = "ftp://user:pw@example.com/",
            ["events"] = new JsonArray("test_run.completed", "run.exploded"),
            ["secret"] = "whsec_c2hvcnQ=",
            ["extra"] = 1,
        })).ShouldBe(HttpStatusCode.UnprocessableEntity).Json!;
        var problems = refused["detail"]!.AsArray().Select(d => (string.Join(".", d!["loc"]!.AsArray().Select(l => l!.ToString())), d["type"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("body.extra", "extra_forbidden"), ("body.events.1", "literal_error"), ("body.secret", "value_error"), ("body.url", "value_error")],
            problems);
        (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = "https://user:pw@example.com/", ["events"] = new JsonArray("test_run.completed") }))
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
        var empty = (await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = _receiver.Url, ["events"] = new JsonArray() }))
            .ShouldBe(HttpStatusCode.UnprocessableEntity).Json!;
        Assert.Equal("too_short", empty["detail"]![0]!["type"]!.GetValue<string>());
        var missing = (await api.PostAsync("/v1/webhooks", new JsonObject())).ShouldBe(HttpStatusCode.UnprocessableEntity).Json!;
        Assert.Equal(2, missing["detail"]!.AsArray().Count(d => d!["type"]!.GetValue<string>() == "missing"));
    }

    private const int StatusCodes500 = 500;

    /// <summary>The Standard Webhooks signature, computed here from the specification alone.</summary>
    private static string ExpectedSignature(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    private static async Task<string> CreateWebhookAsync(ApiClient api, string url, params string[] events)
    {
        var body = new JsonObject { ["url"] = url, ["events"] = new JsonArray((events.Length == 0 ? ["test_run.completed"] : events).Select(e => (JsonNode)e).ToArray()) };
        return (await api.PostAsync("/v1/webhooks", body)).ShouldBe(HttpStatusCode.Created).Id;
    }

    private static async Task<(string WorkflowId, string RunId)> RunOneTestAsync(ApiClient api)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId, TimeSpan.FromSeconds(30));
        return (workflowId, runId);
    }

    /// <summary>The webhook's deliveries once <paramref name="expected"/> of them satisfy <paramref name="until"/>.</summary>
    private static async Task<List<JsonNode>> DeliveriesAsync(ApiClient api, string webhookId, Func<JsonNode, bool> until, int expected = 1)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = (await api.GetAsync($"/v1/webhooks/{webhookId}/deliveries?limit=100")).ShouldBe(HttpStatusCode.OK);
            var deliveries = page.Json!["data"]!.AsArray().Select(d => d!).ToList();
            if (deliveries.Count(until) >= expected)
                return deliveries;
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"Deliveries of {webhookId} never got there: {page.Text}");
            await Task.Delay(50);
        }
    }
}

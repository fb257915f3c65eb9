using System.Text.Encodings.Web;
using System.Text.Json;
using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// DESIGN §1 users (2) and (3): a service that is not this codebase publishes <c>CreateTestRun</c> as raw JSON
/// straight onto RabbitMQ, and another one subscribes to <c>TestRunCompleted</c> with a queue of its own.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ThirdPartyBusTests(BrokerFixture broker, ITestOutputHelper output)
{
    /// <summary>Adds; throws when asked to, so that test is blocked (block_execution_failed).</summary>
    private const string Adder = """
        function main(input) {
          if (input.explode) throw new Error("kaboom");
          return { total: input.a + input.b };
        }
        """;

    private static readonly string[] DocumentedFields =
        ["runId", "organizationId", "workflowId", "status", "counts", "totalTests", "createdAt", "startedAt", "completedAt", "durationMs", "error",
            "regressions", "fixes"];

    [SkippableFact]
    public async Task A_raw_CreateTestRun_from_a_foreign_publisher_runs_and_a_raw_subscriber_receives_TestRunCompleted()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var stack = await RunsStack.StartAsync(broker, output, "third-party", inProcessWorkers: ["it-worker-inproc"]);
        var api = stack.Api();

        // 3 pass, 2 fail, 1 blocked.
        var workflowId = await api.CreateFunctionWorkflowAsync("block_add", Adder);
        JsonObject EqualsTo(int expected) => new() { ["kind"] = "equals", ["expected"] = expected };
        foreach (var (a, b, expected) in new[] { (1, 2, 3), (10, 5, 15), (0, 0, 0), (2, 2, 5), (7, 1, 0) })
            await api.CreateTestAsync(workflowId, "block_add", new JsonObject { ["a"] = a, ["b"] = b }, "total", EqualsTo(expected));
        await api.CreateTestAsync(workflowId, "block_add", new JsonObject { ["a"] = 1, ["b"] = 1, ["explode"] = true }, "total", EqualsTo(2));

        await using var amqp = await RawAmqp.ConnectAsync(stack.VirtualHost.AmqpUri);
        await using var completions = await amqp.SubscribeAsync(Envelopes.TestRunCompletedExchange);

        var runId = Envelopes.NewRunId();
        await amqp.PublishAsync(Envelopes.CreateTestRunExchange,
            Envelopes.CreateTestRun(Guid.NewGuid().ToString(), runId, RunsStack.OrganizationId, workflowId, triggerType: "partner-nightly"),
            Guid.NewGuid().ToString());

        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromMinutes(2));
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal("partner-nightly", run["trigger"]!["type"]!.GetValue<string>());
        Assert.Equal(workflowId, run["workflow_id"]!.GetValue<string>());
        Assert.Equal(6, run["total_tests"]!.GetValue<int>());
        Assert.Equal(3, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(2, run["counts"]!["failed"]!.GetValue<int>());
        Assert.Equal(1, run["counts"]!["blocked"]!.GetValue<int>());

        var envelope = await completions.WaitForAsync(e => e["message"]?["runId"]?.GetValue<string>() == runId,
            TimeSpan.FromSeconds(30), $"TestRunCompleted for {runId} on the subscriber's queue");
        output.WriteLine("Received TestRunCompleted envelope:");
        output.WriteLine(envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        Assert.Contains(Envelopes.TestRunCompletedUrn, envelope["messageType"]!.AsArray().Select(t => t!.GetValue<string>()));
        var message = envelope["message"]!.AsObject();
        Assert.Empty(message.Select(p => p.Key).Except(DocumentedFields));
        Assert.Equal(runId, message["runId"]!.GetValue<string>());
        Assert.Equal(RunsStack.OrganizationId, message["organizationId"]!.GetValue<string>());
        Assert.Equal(workflowId, message["workflowId"]!.GetValue<string>());
        Assert.Equal("completed", message["status"]!.GetValue<string>());
        Assert.Equal(6, message["totalTests"]!.GetValue<int>());
        var counts = message["counts"]!;
        var expectedCounts = new Dictionary<string, int>
        {
            ["pending"] = 0, ["queued"] = 0, ["running"] = 0, ["completed"] = 6, ["error"] = 0, ["cancelled"] = 0,
            ["passed"] = 3, ["failed"] = 2, ["blocked"] = 1,
        };
        Assert.Equal(expectedCounts, counts.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()));
        var createdAt = message["createdAt"]!.GetValue<DateTimeOffset>();
        var startedAt = message["startedAt"]!.GetValue<DateTimeOffset>();
        var completedAt = message["completedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(createdAt <= startedAt && startedAt <= completedAt, $"timestamps out of order: {message.ToJsonString()}");
        Assert.True(message["durationMs"]!.GetValue<long>() >= 0);
        Assert.Null(message["error"]);
        Assert.Equal(run["timing"]!["duration_ms"]!.GetValue<long>(), message["durationMs"]!.GetValue<long>());
    }
}

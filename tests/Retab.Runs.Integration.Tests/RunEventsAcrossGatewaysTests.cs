using System.Net;
using Retab.Runs.Integration.Tests.Faults;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// The live stream behind a load balancer: two gateway processes on one broker and store, each streaming the same run
/// as it runs, and a client whose connection drops on one gateway and resumes on the other with <c>Last-Event-ID</c>.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RunEventsAcrossGatewaysTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Two_gateways_stream_the_same_run_and_a_stream_resumed_on_the_other_gateway_misses_nothing()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "events-two-gateways",
            TwoWorkers(LongDeadline, TimeSpan.FromSeconds(2)), Workload.Echo(TestsPerRun));
        var second = await scenario.Stack.StartGatewayAsync();
        using var gatewayA = Client(scenario.Stack.GatewayAddress);
        using var gatewayB = Client(second);
        var runId = await scenario.StartRunAsync();

        var onA = RunEvents.ReadAsync(gatewayA, runId, timeout: RecoveryBound);
        var onB = RunEvents.ReadAsync(gatewayB, runId, timeout: RecoveryBound);
        // A third client loses its connection to B part-way and reconnects through A, as a load balancer would send it.
        var dropped = await RunEvents.ReadAsync(gatewayB, runId, timeout: RecoveryBound,
            stopAfter: seen => seen.Count(e => e.Type == "result") >= TestsPerRun / 4);
        var resumed = await RunEvents.ReadAsync(gatewayA, runId, lastEventId: dropped[^1].Id, timeout: RecoveryBound);

        var run = await scenario.Api.GetAsync($"/v1/workflows/tests/runs/{runId}");
        Assert.Equal("completed", RunInvariants.Status(run));
        foreach (var (name, events) in new[] { ("A", await onA), ("B", await onB), ("resumed", resumed) })
        {
            var final = Assert.Single(events, RunEvents.IsFinal);
            Assert.Same(final, events[^1]);
            Assert.Equal(run.ToJsonString(), final.Data.ToJsonString());
            var ended = events.Where(e => e.Type == "progress").Select(e => RunEvents.Ended(e.Data["counts"]!)).ToList();
            Assert.Equal(ended.Order(), ended);
            var results = events.Where(e => e.Type == "result").Select(e => e.Data["id"]!.GetValue<string>()).ToList();
            Assert.Equal(results.Count, results.Distinct().Count());
            output.WriteLine($"gateway {name}: {events.Count} events, {ended.Count} progress, {results.Count} results");
        }
        Assert.Equal(TestsPerRun, (await onA).Count(e => e.Type == "result"));
        Assert.Equal(TestsPerRun, (await onB).Count(e => e.Type == "result"));
        var before = dropped.Where(e => e.Type == "result").Select(e => e.Data["id"]!.GetValue<string>()).ToHashSet();
        var after = resumed.Where(e => e.Type == "result").Select(e => e.Data["id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(after, id => string.CompareOrdinal(id, dropped[^1].Id) <= 0);
        Assert.Equal(TestsPerRun, before.Union(after).Count());
        output.WriteLine($"dropped after {before.Count} results; resumed with {after.Count}, {after.Count(before.Contains)} of them sent before");
    }

    private static HttpClient Client(Uri address) => new()
    {
        BaseAddress = address,
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "Api-Key", RunsStack.ApiKey } },
    };
}

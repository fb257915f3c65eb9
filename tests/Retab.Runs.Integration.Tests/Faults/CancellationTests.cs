using System.Diagnostics;
using System.Net;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// A cancel must reach the work already in flight, not only the work still queued: every worker is busy on a model
/// call the model server would answer only minutes later, and the cancel over HTTP has to abort those calls at once.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class CancellationTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    private const int Tests = 200;
    private const int PerWorker = 4;
    private static readonly TimeSpan AbortBound = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task Cancelling_a_run_aborts_every_model_call_in_flight_within_two_seconds_and_ends_it_cancelled()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = _ => ModelAnswer.Json(new { total = 1 }).After(TimeSpan.FromMinutes(3));
        var worker = ModelWorker(model.BaseUrl, PerWorker);
        worker["Models:Timeout"] = "00:05:00"; // longer than the answer takes: a call ends only if the worker drops it
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "fault-cancel",
            TwoWorkers(LongDeadline, TimeSpan.FromSeconds(2), worker), Workload.Extract(Tests));
        var runId = await scenario.StartRunAsync();

        var busy = 2 * PerWorker;
        await Eventually.WaitAsync(() => Task.FromResult(model.ChatInFlight == busy), TimeSpan.FromSeconds(60),
            () => $"{busy} model calls in flight ({PerWorker} per worker); {model.ChatInFlight} are");
        var cancelledAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var answer = await scenario.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/v1/workflows/tests/runs/{runId}/cancel");
        scenario.Log($"cancel answered in {clock.Elapsed.TotalMilliseconds:0} ms: {RunAudit.Describe(answer)}");

        var observed = new List<string>();
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(model.ChatInFlight == 0), AbortBound - clock.Elapsed, "no model call in flight", TimeSpan.FromMilliseconds(20));
        }
        catch (TimeoutException)
        {
            observed.Add($"{model.ChatInFlight} of {busy} model calls were still in flight {AbortBound.TotalSeconds:0} s after the cancel");
        }
        var aborts = model.AbortedAt.Select(at => at - cancelledAt).ToList();
        scenario.Log($"model calls aborted: {aborts.Count}, {string.Join(", ", aborts.Select(a => $"{a.TotalMilliseconds:0} ms"))} after the cancel");

        await scenario.AuditAsync(runId, await scenario.WaitForCompletionAsync(runId, TimeSpan.FromSeconds(30)),
            ExpectedRun.CancelledMidway(scenario.Workload), $"cancel with {busy} model calls in flight", "the cancel", observed);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Acceptance.Tests.Observability;

/// <summary>
/// The Retab.Runs instruments move by exactly what a run did, read through the host's own meter factory (as an exporter
/// would): each test counted once by verdict and block type, the run created and ended once, one execution time per
/// test; a result that arrives twice is not counted twice.
/// </summary>
public sealed class RunMetricsTests : IDisposable
{
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task A_run_of_two_passing_tests_and_one_failing_moves_each_instrument_by_exactly_what_it_did()
    {
        var api = _host.Client();
        var meters = _host.Services.GetRequiredService<IMeterFactory>();
        using var testsFinished = new MetricCollector<long>(meters, RunsDiagnostics.Name, "retab.runs.tests.finished");
        using var runsCreated = new MetricCollector<long>(meters, RunsDiagnostics.Name, "retab.runs.runs.created");
        using var runsEnded = new MetricCollector<long>(meters, RunsDiagnostics.Name, "retab.runs.runs.ended");
        using var runDuration = new MetricCollector<double>(meters, RunsDiagnostics.Name, "retab.runs.run.duration");
        using var executionDuration = new MetricCollector<double>(meters, RunsDiagnostics.Name, "retab.runs.test.execution.duration");
        using var queueWait = new MetricCollector<double>(meters, RunsDiagnostics.Name, "retab.runs.test.queue.wait");
        using var batchSize = new MetricCollector<long>(meters, RunsDiagnostics.Name, "retab.runs.fan_in.batch.size");

        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 2 }, "v", Functions.Condition("equals", 2));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 3 }, "v", Functions.Condition("equals", 4));
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);

        // The end is recorded by the orchestrator just before the run reads as completed; give it its moment.
        await Until(() => runsEnded.GetMeasurementSnapshot().Count > 0);
        var finished = testsFinished.GetMeasurementSnapshot();
        Assert.Equal(3, finished.Sum(m => m.Value));
        Assert.Equal(2, finished.Where(m => m.Tags[RunsTags.Verdict] as string == "passed").Sum(m => m.Value));
        Assert.Equal(1, finished.Where(m => m.Tags[RunsTags.Verdict] as string == "failed").Sum(m => m.Value));
        Assert.All(finished, m => Assert.Equal("function", m.Tags[RunsTags.BlockType]));
        Assert.All(finished, m => Assert.DoesNotContain(m.Tags.Keys, key => key is RunsTags.RunId or RunsTags.TestId));

        var created = Assert.Single(runsCreated.GetMeasurementSnapshot());
        Assert.Equal((1L, "api"), (created.Value, created.Tags[RunsTags.Trigger] as string));
        var ended = Assert.Single(runsEnded.GetMeasurementSnapshot());
        Assert.Equal((1L, "completed", "api"), (ended.Value, ended.Tags[RunsTags.RunStatus] as string, ended.Tags[RunsTags.Trigger] as string));
        Assert.True(Assert.Single(runDuration.GetMeasurementSnapshot()).Value > 0);

        var executions = executionDuration.GetMeasurementSnapshot();
        Assert.Equal(3, executions.Count);
        Assert.All(executions, m => Assert.Equal("function", m.Tags[RunsTags.BlockType]));
        Assert.Equal(3, queueWait.GetMeasurementSnapshot().Count);
        // Three finishes and up to three starts (a start that arrives with its finish is folded into it) were written.
        Assert.InRange(batchSize.GetMeasurementSnapshot().Sum(m => m.Value), 3, 6);

        // The same finish once more, as a redelivery would bring it: the fan-in writes it, and counts nothing.
        var result = (await api.AllResultsAsync(runId))[0];
        var writesBefore = batchSize.GetMeasurementSnapshot().Count;
        await _host.Services.GetRequiredService<IBus>().Publish(new WorkflowTestFinished
        {
            RunId = runId,
            OrganizationId = "org_a",
            TestId = result["test_id"]!.GetValue<string>(),
            ResultId = result["id"]!.GetValue<string>(),
            Lifecycle = "error",
            Error = new ExecutionError("deadline_exceeded", "a duplicate"),
            WorkerId = "another-worker",
        });
        await Until(() => batchSize.GetMeasurementSnapshot().Count > writesBefore);
        Assert.Equal(3, testsFinished.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(runsEnded.GetMeasurementSnapshot());
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException("The measurement never came.");
            await Task.Delay(25);
        }
    }

    public void Dispose() => _host.Dispose();
}

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The sweeper as a hosted service: its timer runs on the injected <see cref="TimeProvider"/>, never on the wall clock.</summary>
public sealed class RunSweeperTimerTests
{
    [Fact]
    public async Task Moving_the_clock_by_a_sweep_interval_sweeps()
    {
        await using var saga = await SagaHarness.StartAsync(sweeperTimer: true);
        var run = await saga.StoreRunAsync(await saga.SaveWorkflowAsync(tests: 1));
        saga.AdvancePastDeadline();

        // The timer was created as the harness started, at a moment the test does not know: a few more intervals make it tick.
        var swept = false;
        for (var interval = 0; interval < 3 && !swept; interval++)
        {
            saga.Time.Advance(SagaHarness.SweepInterval);
            swept = await SagaHarness.HoldsWithinAsync(() => saga.CreateCommands(run.Id).Count > 0, TimeSpan.FromMilliseconds(300));
        }

        Assert.True(swept, "no sweep re-sent the CreateTestRun of a run left pending");
        await saga.ExecutionsAsync(run.Id, 1);
    }
}

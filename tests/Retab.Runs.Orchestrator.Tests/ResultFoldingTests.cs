using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// DESIGN §7: a limit hit by one test never fails another test's write. One batch of the fan-in holds finished tests of
/// two runs of two organizations; whatever one event does to the store, every other result is stored exactly once, the
/// counts equal the result rows (§5) and no test that ran is reported as <c>worker_lost</c>.
/// </summary>
public sealed class ResultFoldingTests : IAsyncLifetime
{
    private const string OrgA = "org_alpha";
    private const string OrgB = "org_beta";

    private FanIn _fanIn = null!;

    public async Task InitializeAsync() => _fanIn = await FanIn.OpenAsync();

    public async Task DisposeAsync() => await _fanIn.DisposeAsync();

    /// <summary>A 16 MiB string, as a third-party worker publishing <c>WorkflowTestFinished</c> straight onto the bus may send.</summary>
    private static string Oversized() => new('x', 16 * 1024 * 1024);

    private async Task AssertCountsEqualRowsAsync(TestRun run)
    {
        var stored = await _fanIn.RunAsync(run);
        var slots = await _fanIn.SlotsAsync(run);
        Assert.Equal(RunCounts.FromSlots(slots.Select(s => (s.Status, s.Verdict))), stored.Counts);
        Assert.Equal(stored.TotalTests, slots.Count);
    }

    [Fact]
    public async Task An_oversized_result_ends_as_result_too_large_and_every_other_result_of_the_batch_is_stored_once()
    {
        var (mine, mySlots) = await _fanIn.QueueRunAsync(OrgA, 4);
        var (theirs, theirSlots) = await _fanIn.QueueRunAsync(OrgB, 3);
        var culprit = mySlots[1];
        var submissions = mySlots.Concat(theirSlots)
            .Select(slot => _fanIn.Submit(FanIn.Passed(slot, slot == culprit ? Oversized() : null)))
            .Append(_fanIn.Submit(new SlotStarted(mine.Id, mySlots[2].Id, mine.CreatedAt.AddSeconds(1), FanIn.WorkerId)))
            .Append(_fanIn.Submit(FanIn.Passed(theirSlots[0]))) // a redelivered duplicate
            .ToList();

        await _fanIn.StartWriterAsync();
        await Task.WhenAll(submissions);

        // The batch was refused once for the culprit, then written whole with the culprit as an error: two writes, not one per event.
        Assert.Equal(2, _fanIn.Store.Writes);
        var failed = (await _fanIn.SlotsAsync(mine)).Single(s => s.Id == culprit.Id);
        Assert.Equal(SlotStatus.Error, failed.Status);
        Assert.Equal(RunErrorCodes.ResultTooLarge, failed.Error!.Code);
        Assert.Contains(ServiceLimits.MaxStoredDocumentBytes.ToString(), failed.Error.Message);
        Assert.Contains("MaxStoredDocumentBytes", failed.Error.Message);
        Assert.Null(failed.Verdict);
        Assert.Null(failed.HandleOutputs);
        Assert.Equal(FanIn.WorkerId, failed.WorkerId);
        Assert.NotNull(failed.CompletedAt);

        foreach (var (run, expected) in new[] { (mine, new RunCounts(Completed: 3, Error: 1, Passed: 3)), (theirs, new RunCounts(Completed: 3, Passed: 3)) })
        {
            var stored = await _fanIn.RunAsync(run);
            Assert.Equal(RunStatus.Completed, stored.Status);
            Assert.Equal(expected, stored.Counts);
            Assert.True(stored.CompletionPublished, $"TestRunCompleted of {run.Id} was not published");
            await AssertCountsEqualRowsAsync(run);
            Assert.All((await _fanIn.SlotsAsync(run)).Where(s => s.Id != culprit.Id), slot =>
            {
                Assert.Equal(SlotStatus.Completed, slot.Status);
                Assert.Equal(slot.TestId, slot.HandleOutputs!["output-json-0"]!["data"]!["value"]!.GetValue<string>());
            });
            Assert.DoesNotContain(await _fanIn.SlotsAsync(run), s => s.Error?.Code == RunErrorCodes.WorkerLost);
        }
    }

    [Fact]
    public async Task Oversized_results_of_two_runs_in_one_batch_each_end_as_result_too_large()
    {
        var (mine, mySlots) = await _fanIn.QueueRunAsync(OrgA, 2);
        var (theirs, theirSlots) = await _fanIn.QueueRunAsync(OrgB, 2);
        var submissions = new[]
        {
            _fanIn.Submit(FanIn.Passed(mySlots[0], Oversized())),
            _fanIn.Submit(FanIn.Passed(theirSlots[0])),
            _fanIn.Submit(FanIn.Passed(theirSlots[1], Oversized())),
            _fanIn.Submit(FanIn.Passed(mySlots[1])),
        };

        await _fanIn.StartWriterAsync();
        await Task.WhenAll(submissions);

        Assert.Equal(3, _fanIn.Store.Writes);
        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Passed: 1), (await _fanIn.RunAsync(mine)).Counts);
        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Passed: 1), (await _fanIn.RunAsync(theirs)).Counts);
        Assert.Equal([RunErrorCodes.ResultTooLarge], (await _fanIn.SlotsAsync(mine)).Concat(await _fanIn.SlotsAsync(theirs))
            .Where(s => s.Status == SlotStatus.Error).Select(s => s.Error!.Code).Distinct());
    }

    [Fact]
    public async Task Without_a_failure_a_batch_is_one_store_write()
    {
        var (mine, mySlots) = await _fanIn.QueueRunAsync(OrgA, 20);
        var (theirs, theirSlots) = await _fanIn.QueueRunAsync(OrgB, 20);
        var submissions = mySlots.Concat(theirSlots).Select(slot => _fanIn.Submit(FanIn.Passed(slot))).ToList();

        await _fanIn.StartWriterAsync();
        await Task.WhenAll(submissions);

        Assert.Equal(1, _fanIn.Store.Writes);
        Assert.Equal(RunStatus.Completed, (await _fanIn.RunAsync(mine)).Status);
        Assert.Equal(RunStatus.Completed, (await _fanIn.RunAsync(theirs)).Status);
    }

    [Fact]
    public async Task A_submission_the_store_refuses_for_another_reason_fails_alone_and_is_not_made_an_error_result()
    {
        var (mine, mySlots) = await _fanIn.QueueRunAsync(OrgA, 20);
        var (theirs, theirSlots) = await _fanIn.QueueRunAsync(OrgB, 20);
        var poison = mySlots[7];
        _fanIn.Store.FailWrite = events => events.Any(e => e.ResultId == poison.Id) ? new InvalidOperationException($"cannot write {poison.Id}") : null;
        var submissions = mySlots.Concat(theirSlots).ToDictionary(slot => slot.Id, slot => _fanIn.Submit(FanIn.Passed(slot)));

        await _fanIn.StartWriterAsync();
        await Task.WhenAll(submissions.Values).ContinueWith(_ => { }, TaskScheduler.Default);

        // Its message gets the store's exception (the consumer retries it, then dead-letters it); every other one is written.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => submissions[poison.Id]);
        Assert.Contains(poison.Id, refused.Message);
        Assert.All(submissions.Where(s => s.Key != poison.Id), s => Assert.True(s.Value.IsCompletedSuccessfully, $"{s.Key} was not written"));
        // Narrowed down by halves: at most two writes per halving of 40 submissions (6), plus the batch's own.
        Assert.InRange(_fanIn.Store.Writes, 2, 1 + 2 * 6);

        var stillQueued = (await _fanIn.SlotsAsync(mine)).Single(s => s.Id == poison.Id);
        Assert.Equal(SlotStatus.Queued, stillQueued.Status);
        Assert.Null(stillQueued.Error);
        Assert.Equal(new RunCounts(Queued: 1, Completed: 19, Passed: 19), (await _fanIn.RunAsync(mine)).Counts);
        Assert.Equal(RunStatus.Completed, (await _fanIn.RunAsync(theirs)).Status);
        await AssertCountsEqualRowsAsync(mine);
    }

    [Fact]
    public async Task A_store_that_fails_every_write_fails_the_batch_back_for_redelivery_without_error_results_or_a_write_per_event()
    {
        var (mine, mySlots) = await _fanIn.QueueRunAsync(OrgA, 20);
        var (theirs, theirSlots) = await _fanIn.QueueRunAsync(OrgB, 20);
        var outage = new InvalidOperationException("the store is unavailable");
        _fanIn.Store.FailWrite = _ => outage;
        var events = mySlots.Concat(theirSlots).Select(slot => FanIn.Passed(slot)).ToList();
        var submissions = events.Select(e => _fanIn.Submit(e)).ToList();

        await _fanIn.StartWriterAsync();
        await Task.WhenAll(submissions).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.All(submissions, s => Assert.Same(outage, s.Exception?.InnerException));
        // The batch, then its two halves: both failing says the store is down, so it is not written one event at a time.
        Assert.Equal(3, _fanIn.Store.Writes);
        foreach (var run in new[] { mine, theirs })
        {
            Assert.Equal(RunCounts.AllQueued(20), (await _fanIn.RunAsync(run)).Counts);
            Assert.All(await _fanIn.SlotsAsync(run), slot => Assert.Equal(SlotStatus.Queued, slot.Status));
        }

        // Redelivered once the store is back: every result is stored, once.
        _fanIn.Store.FailWrite = _ => null;
        await Task.WhenAll(events.Concat(events).Select(e => _fanIn.Submit(e)));

        foreach (var run in new[] { mine, theirs })
        {
            Assert.Equal(new RunCounts(Completed: 20, Passed: 20), (await _fanIn.RunAsync(run)).Counts);
            await AssertCountsEqualRowsAsync(run);
        }
    }
}

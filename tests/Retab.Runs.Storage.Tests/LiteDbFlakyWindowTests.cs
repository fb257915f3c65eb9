using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The flaky window on LiteDB is one bounded read per test: a range of one index, walked newest first, that stops after
/// the window, however many results the test has.
/// </summary>
public class LiteDbFlakyWindowTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_window_is_read_from_one_index_in_completion_order_without_sorting()
    {
        var file = new TempDatabaseFile();
        try
        {
            await ReadWindowAsync(file.Path);
        }
        finally
        {
            await file.Delete();
        }
    }

    private static async Task ReadWindowAsync(string path)
    {
        using var db = new LiteDbContext(path);
        var store = new LiteDbRunStore(db);
        var block = new Block("block_a", BlockTypes.Function, "a", new JsonObject { ["code"] = "function main(i){ return i; }" });
        var workflow = new Workflow { Id = ResourceIds.New(ResourceIds.Workflow, T0), OrganizationId = "org_a", Name = "wf", Blocks = [block], CreatedAt = T0, UpdatedAt = T0 };
        var test = new WorkflowTest
        {
            Id = ResourceIds.New(ResourceIds.Test, T0),
            OrganizationId = "org_a",
            WorkflowId = workflow.Id,
            TargetBlockId = block.Id,
            Source = new JsonObject { ["type"] = "manual" },
            HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 1 } },
            Assertion = new Assertion(ResourceIds.New(ResourceIds.Assertion, T0), new AssertionTarget("output-json-0", null), new JsonObject { ["kind"] = "exists" }, null),
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var completed = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var at = T0.AddMinutes(i);
            var run = RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, at), "org_a", plan, RunScopeSpec.WholeWorkflow, RunDocuments.ApiTrigger, at);
            await store.InsertRunAsync(run);
            var slot = ResultSlots.Create(run, plan, at, TimeSpan.FromMinutes(5)).Single();
            await store.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([slot]), at);
            // Completion times out of creation order: the window follows completion.
            var finishedAt = at.AddSeconds(i % 2 == 0 ? 90 : 10);
            await store.ApplySlotEventsAsync([new SlotFinished(run.Id, slot.Id, finishedAt, SlotStatus.Completed, i % 3 == 0 ? Verdict.Failed : Verdict.Passed,
                at, new JsonObject(), null, [], null, "worker", EngineInfo.Version)], finishedAt);
            completed.Add(slot.Id);
        }

        var key = FlakyWindowKey.Current(test, workflow)!;
        var query = LiteDbRunStore.WindowQuery(db.Results, test.Id, key);
        var queryPlan = query.GetPlan();

        // No "orderBy" step: LiteDB walks the index newest first and can stop after the window.
        Assert.Equal("twc", queryPlan["index"]["name"].AsString);
        Assert.Equal(-1, queryPlan["index"]["order"].AsInt32);
        Assert.False(queryPlan.ContainsKey("orderBy"), queryPlan.ToString());

        var window = await store.ListRecentVerdictsAsync("org_a", test.Id, key, 4);
        // Even slots finish 90 s after their start, odd ones 10 s: slot 28 (29:30) is newer than slot 29 (29:10).
        Assert.Equal([completed[28], completed[29], completed[26], completed[27]], window.Select(s => s.ResultId));
        Assert.True(window.Zip(window.Skip(1)).All(pair => pair.First.CompletedAt >= pair.Second.CompletedAt));
        Assert.Empty(await store.ListRecentVerdictsAsync("org_b", test.Id, key, 4));
    }
}

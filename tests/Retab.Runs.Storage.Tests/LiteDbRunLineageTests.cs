using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// A run's previous run on LiteDB is one step down one index range, newest first, however many runs its workflow has:
/// the orchestrator asks at every completion.
/// </summary>
public class LiteDbRunLineageTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_previous_run_is_read_from_one_index_newest_first_without_sorting()
    {
        var file = new TempDatabaseFile();
        try
        {
            using var db = new LiteDbContext(file.Path);
            var store = new LiteDbRunStore(db);
            var block = new RunScopeSpec(RunScopeType.Block, BlockId: "block a");
            var inserted = new List<TestRun>();
            for (var i = 0; i < 200; i++)
            {
                // Every fourth run failed, every fifth ran one block (a block id with a space, as users may name one),
                // and every seventh belongs to another workflow; the rest completed on the whole workflow.
                var run = Run(i, i % 7 == 0 ? "wf_other" : "wf_a", i % 5 == 0 ? block : RunScopeSpec.WholeWorkflow, i % 4 == 0 ? RunStatus.Error : RunStatus.Completed);
                await store.InsertRunAsync(run);
                inserted.Add(run);
            }
            var latest = Run(200, "wf_a", RunScopeSpec.WholeWorkflow, RunStatus.Running);
            await store.InsertRunAsync(latest);

            var expected = inserted.Last(r => r.WorkflowId == "wf_a" && r.Scope.Key == "workflow" && r.Status == RunStatus.Completed);
            Assert.Equal(expected.Id, (await store.FindPreviousCompletedRunAsync(latest))?.Id);
            var expectedOfBlock = inserted.Last(r => r.WorkflowId == "wf_a" && r.Scope.Key == block.Key && r.Status == RunStatus.Completed);
            Assert.Equal(expectedOfBlock.Id, (await store.FindPreviousCompletedRunAsync(latest with { Scope = block }))?.Id);
            // A completed run's previous is the one before it, never itself.
            var beforeExpected = inserted.Last(r => r.Id != expected.Id && r.WorkflowId == "wf_a" && r.Scope.Key == "workflow" && r.Status == RunStatus.Completed);
            Assert.Equal(beforeExpected.Id, (await store.FindPreviousCompletedRunAsync(expected))?.Id);
            Assert.Null(await store.FindPreviousCompletedRunAsync(latest with { OrganizationId = "org_b" }));

            var plan = LiteDbRunStore.LineageQuery(db.Runs, latest).GetPlan();
            Assert.Equal("lineage", plan["index"]["name"].AsString);
            Assert.Equal(-1, plan["index"]["order"].AsInt32);
            Assert.False(plan.ContainsKey("orderBy"), plan.ToString());
        }
        finally
        {
            await file.Delete();
        }
    }

    private static TestRun Run(int i, string workflowId, RunScopeSpec scope, RunStatus status) => new()
    {
        Id = ResourceIds.New(ResourceIds.Run, T0.AddMinutes(i)),
        OrganizationId = "org_a",
        WorkflowId = workflowId,
        WorkflowVersionId = "v1",
        DraftFingerprint = "draft",
        TriggerType = RunDocuments.ApiTrigger,
        Scope = scope,
        Status = status,
        CreatedAt = T0.AddMinutes(i),
        TotalTests = 1,
        Counts = RunCounts.AllQueued(1),
    };
}

using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Tests.Domain;

/// <summary>Small builders for workflows, tests, runs and slots used by the domain tests.</summary>
internal static class DomainBuilders
{
    public const string Org = "org_domain";
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Block FunctionBlock(string id, string code = "function main(i){return i}") =>
        new(id, BlockTypes.Function, $"name of {id}", new JsonObject { ["code"] = code });

    public static Workflow Workflow(params Block[] blocks) => new()
    {
        Id = ResourceIds.New(ResourceIds.Workflow, T0),
        OrganizationId = Org,
        Name = "wf",
        Blocks = blocks,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static Assertion ExistsAssertion(string? label = null) =>
        new(ResourceIds.New(ResourceIds.Assertion, T0), new AssertionTarget("output-json-0", null), new JsonObject { ["kind"] = "exists" }, label);

    public static WorkflowTest Test(Workflow workflow, string blockId, JsonNode? data = null, DateTimeOffset? at = null) => new()
    {
        Id = ResourceIds.New(ResourceIds.Test, at ?? T0),
        OrganizationId = workflow.OrganizationId,
        WorkflowId = workflow.Id,
        TargetBlockId = blockId,
        Source = new JsonObject { ["type"] = "manual" },
        HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data ?? JsonValue.Create(1) } },
        Assertion = ExistsAssertion(),
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
    };

    public static TestRun PendingRun(RunPlan plan, RunScopeSpec? scope = null) =>
        RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, T0), Org, plan, scope ?? RunScopeSpec.WholeWorkflow, RunDocuments.ApiTrigger, T0);

    public static TestResult Slot(SlotStatus status = SlotStatus.Queued)
    {
        var block = FunctionBlock("block_a");
        var workflow = Workflow(block);
        var plan = RunPlanner.Plan(workflow, [Test(workflow, block.Id)], RunScopeSpec.WholeWorkflow);
        var slot = ResultSlots.Create(PendingRun(plan), plan, T0, TimeSpan.FromMinutes(5)).Single();
        return slot with { Status = status };
    }

    public static SlotStarted Started(TestResult slot, DateTimeOffset? at = null, string worker = "worker-1") =>
        new(slot.RunId, slot.Id, at ?? T0.AddSeconds(1), worker);

    public static SlotFinished Finished(
        TestResult slot,
        SlotStatus outcome = SlotStatus.Completed,
        Verdict? verdict = Verdict.Passed,
        JsonObject? outputs = null,
        DateTimeOffset? at = null,
        DateTimeOffset? startedAt = null,
        SlotError? error = null) =>
        new(slot.RunId, slot.Id, at ?? T0.AddSeconds(2), outcome, verdict, startedAt,
            outputs ?? new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 42 } },
            null, ["a warning"], error, "worker-2", EngineInfo.Version);
}

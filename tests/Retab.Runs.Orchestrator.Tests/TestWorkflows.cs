using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>A workflow of function blocks and saved tests of one of them: the least a run can be planned from.</summary>
internal static class TestWorkflows
{
    public const string TestedBlock = "block_a";

    /// <summary>A block with no saved tests: a run scoped to it selects none.</summary>
    public const string UntestedBlock = "block_b";

    public static Workflow Workflow(string organizationId, DateTimeOffset at) => new()
    {
        Id = ResourceIds.New(ResourceIds.Workflow, at),
        OrganizationId = organizationId,
        Name = "orchestrated",
        Blocks =
        [
            new Block(TestedBlock, BlockTypes.Function, "a", new JsonObject { ["code"] = "function main(input) { return input; }" }),
            new Block(UntestedBlock, BlockTypes.Function, "b", new JsonObject { ["code"] = "function main(input) { return {}; }" }),
        ],
        CreatedAt = at,
        UpdatedAt = at,
    };

    /// <summary><paramref name="count"/> tests of <paramref name="blockId"/>, each with its own input.</summary>
    public static IReadOnlyList<WorkflowTest> Tests(Workflow workflow, int count, DateTimeOffset at, string blockId = TestedBlock) =>
        Enumerable.Range(0, count).Select(i => new WorkflowTest
        {
            Id = ResourceIds.New(ResourceIds.Test, at),
            OrganizationId = workflow.OrganizationId,
            WorkflowId = workflow.Id,
            TargetBlockId = blockId,
            Source = new JsonObject { ["type"] = "manual" },
            HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = i } },
            Assertion = new Assertion(ResourceIds.New(ResourceIds.Assertion, at), new AssertionTarget("output-json-0", "value"), new JsonObject { ["kind"] = "exists" }, null),
            CreatedAt = at,
            UpdatedAt = at,
        }).ToList();
}

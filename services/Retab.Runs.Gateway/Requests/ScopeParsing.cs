using System.Text.Json.Nodes;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Requests;

/// <summary>Reads a run's <c>scope</c>: omitted / null / <c>{"type": "workflow"}</c>, <c>{"type": "block", "block_id"}</c> or <c>{"type": "single", "test_id"}</c>.</summary>
public static class ScopeParsing
{
    public static RunScopeSpec? Parse(BodyReader reader, JsonObject body)
    {
        if (!body.TryGetPropertyValue("scope", out var node) || node is null)
            return RunScopeSpec.WholeWorkflow;
        if (node is not JsonObject scope)
        {
            reader.Add(new FieldError(["body", "scope"], "Input should be a valid dictionary", "dict_type"));
            return null;
        }
        switch (reader.RequiredString(scope, "type", "scope"))
        {
            case "workflow":
                reader.RejectUnknownKeys(scope, ["type"], "scope");
                return reader.HasErrors ? null : RunScopeSpec.WholeWorkflow;
            case "block":
                reader.RejectUnknownKeys(scope, ["type", "block_id"], "scope");
                var blockId = reader.RequiredString(scope, "block_id", "scope");
                return blockId is null || reader.HasErrors ? null : new RunScopeSpec(RunScopeType.Block, BlockId: blockId);
            case "single":
                reader.RejectUnknownKeys(scope, ["type", "test_id"], "scope");
                var testId = reader.RequiredString(scope, "test_id", "scope");
                return testId is null || reader.HasErrors ? null : new RunScopeSpec(RunScopeType.Single, TestId: testId);
            case null:
                return null;
            default:
                reader.Add(new FieldError(["body", "scope", "type"], "Input tag should be 'workflow', 'block' or 'single'", "union_tag_invalid"));
                return null;
        }
    }
}

using System.Text.Json.Nodes;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Requests;

/// <summary>
/// Reads a run's <c>scope</c>: omitted / null / <c>{"type": "workflow"}</c>, <c>{"type": "block", "block_id"}</c>,
/// <c>{"type": "single", "test_id"}</c> or <c>{"type": "rerun", "run_id", "only"}</c> (<c>only</c> required).
/// </summary>
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
            case "rerun":
                reader.RejectUnknownKeys(scope, ["type", "run_id", "only"], "scope");
                var runId = reader.RequiredString(scope, "run_id", "scope");
                var only = reader.RequiredString(scope, "only", "scope");
                var rerunOnly = RerunSelection.Parse(only);
                if (only is not null && rerunOnly is null)
                    reader.Add(new FieldError(["body", "scope", "only"],
                        $"Input should be {string.Join(", ", RerunSelection.Names.Select(n => $"'{n}'"))}", "literal_error"));
                return runId is null || rerunOnly is null || reader.HasErrors ? null : new RunScopeSpec(RunScopeType.Rerun, RunId: runId, Only: rerunOnly);
            case null:
                return null;
            default:
                reader.Add(new FieldError(["body", "scope", "type"], "Input tag should be 'workflow', 'block', 'single' or 'rerun'", "union_tag_invalid"));
                return null;
        }
    }
}

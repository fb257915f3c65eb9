using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

// The bodies of the test run routes (DESIGN §3.4); ScopeParsing reads them.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Create a workflow test run. Omit `scope` (or pass null) to run every saved test of the workflow.")]
public sealed record CreateWorkflowTestRunRequest([property: MinLength(1)] string WorkflowId, WorkflowTestRunScope? Scope = null);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(WorkflowTestRunWorkflowScope), "workflow")]
[JsonDerivedType(typeof(WorkflowTestRunBlockScope), "block")]
[JsonDerivedType(typeof(WorkflowTestRunSingleScope), "single")]
[JsonDerivedType(typeof(WorkflowTestRunRerunScope), "rerun")]
[Description("Which saved tests the run selects, by `type`. A scope that selects no test is a 422 `no_tests_in_scope`.")]
public abstract record WorkflowTestRunScope;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Run every saved test of the workflow.")]
public sealed record WorkflowTestRunWorkflowScope : WorkflowTestRunScope;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Run every saved test whose target is this block (404 `block_not_found` when the draft has no such block).")]
public sealed record WorkflowTestRunBlockScope([property: MinLength(1)] string BlockId) : WorkflowTestRunScope;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Run one saved test (404 `test_not_found` when the workflow has no such test).")]
public sealed record WorkflowTestRunSingleScope([property: MinLength(1)] string TestId) : WorkflowTestRunScope;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Run again, against the current draft, the tests of an earlier run of the workflow whose result `only` selects " +
    "(tests deleted since are skipped). 404 `run_not_found` when the run does not exist in the workflow, 409 `run_in_progress` " +
    "while it has not ended, 422 `no_tests_in_scope` when nothing is selected. The new run's `rerun_of` is the earlier run.")]
public sealed record WorkflowTestRunRerunScope(
    [property: MinLength(1), Description("The earlier run.")] string RunId,
    [property: Description("`failed`: completed with verdict failed; `error`: lifecycle error; `not_passed`: failed, blocked, error or cancelled; `all`: every test of the run.")]
    RerunOnlyValue Only) : WorkflowTestRunScope;

public enum RerunOnlyValue { Failed, NotPassed, Error, All }

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Optional; an empty body is the same as `{}`.")]
public sealed record CancelWorkflowTestRunRequest([property: Description("Shown as `lifecycle.reason` of the cancelled run.")] string? Reason = null);

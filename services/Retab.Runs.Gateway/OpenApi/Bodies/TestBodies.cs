using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

// The bodies of the test routes (DESIGN §3.3) under Retab's SDK names. The handlers read bodies with BodyReader and
// TestParsing, which stay the truth; these records describe them for the OpenAPI document only.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Body to create a workflow test: the target block, an input `source`, and an `assertion` to evaluate its output.")]
public sealed record CreateWorkflowTestRequest(
    [property: MinLength(1)] string WorkflowId,
    WorkflowTestBlockTarget Target,
    WorkflowTestSource Source,
    AssertionSpec Assertion,
    string? Name = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Only the fields given change. `target` is immutable (422 `immutable`); `assertion` and `source` may not be null.")]
public sealed record UpdateWorkflowTestRequest(
    string? Name = null,
    AssertionSpec? Assertion = null,
    WorkflowTestSource? Source = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("The tested block.")]
public sealed record WorkflowTestBlockTarget(BlockTargetType Type, [property: MinLength(1)] string BlockId);

public enum BlockTargetType { Block }

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ManualWorkflowTestSource), "manual")]
[JsonDerivedType(typeof(RunStepWorkflowTestSource), "run_step")]
[Description("Where the block's inputs come from, by `type`.")]
public abstract record WorkflowTestSource;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Inputs given with the test, by input handle id (e.g. `input-json-0`, `input-file-document`). They may serialize to at most `Limits:MaxTestInputBytes`; upload large documents as files.")]
public sealed record ManualWorkflowTestSource(IReadOnlyDictionary<string, HandleInput> HandleInputs) : WorkflowTestSource;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Copies the inputs the block received in an earlier result: `run_id` names a result (`wfnodetestrun_…`), or a run (`wftestrun_…`) with `step_id` naming the test. An id that matches nothing is a 422.")]
public sealed record RunStepWorkflowTestSource([property: MinLength(1)] string RunId, string? StepId = null) : WorkflowTestSource;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(JsonHandleInput), "json")]
[JsonDerivedType(typeof(FileHandleInput), "file")]
[Description("One input handle's value, by `type`.")]
public abstract record HandleInput;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("A JSON value; `data` must be present (it may be null).")]
public sealed record JsonHandleInput([property: Description("Any JSON value, null included.")] JsonNode? Data) : HandleInput;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("A document uploaded through `/v1/files`; it must be a complete file of the caller's organization (422 otherwise).")]
public sealed record FileHandleInput(FileRef Document) : HandleInput;

[Description("A reference to an uploaded file, as an upload returns it (`mimeData`).")]
public sealed record FileRef([property: MinLength(1)] string Id, [property: MinLength(1)] string Filename, [property: MinLength(1)] string MimeType);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Block-test assertion against one declared output handle. Exactly one per test.")]
public sealed record AssertionSpec(
    OutputTarget Target,
    AssertionCondition Condition,
    [property: Description("Kept when given; generated (`assert_…`) otherwise, and kept across updates.")] string? Id = null,
    string? Label = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("An output handle and a dotted path inside its data (`lines.0.amount`); no path means the whole data.")]
public sealed record OutputTarget([property: MinLength(1)] string OutputHandleId, string? Path = null);

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

// The bodies of the workflow routes (DESIGN §3.2); BlockParsing reads them.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("A workflow with its draft: a list of blocks.")]
public sealed record CreateWorkflowRequest([property: MinLength(1)] string Name, IReadOnlyList<DraftBlock> Blocks);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Replaces every block of the draft; the draft gets a new `version_id` and fingerprint.")]
public sealed record ReplaceDraftRequest(IReadOnlyList<DraftBlock> Blocks);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Changes one block of the draft; the fields given replace the block's. A function block's new `config` must hold its `code`.")]
public sealed record UpdateBlockRequest(string? Name = null, JsonObject? Config = null);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(FunctionDraftBlock), "function")]
[JsonDerivedType(typeof(ExtractDraftBlock), "extract")]
[JsonDerivedType(typeof(ClassifierDraftBlock), "classifier")]
[JsonDerivedType(typeof(SplitDraftBlock), "split")]
[Description("One block of a draft, by `type`. Ids are unique in the draft; one is generated (`block_…`) when omitted. The name defaults to the type.")]
public abstract record DraftBlock;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Runs JavaScript: `main` receives the `data` of `input-json-0` and returns the `data` of `output-json-0`.")]
public sealed record FunctionDraftBlock(FunctionBlockConfig Config, string? Id = null, string? Name = null) : DraftBlock;

[Description("Other keys are kept with the block.")]
public sealed record FunctionBlockConfig(
    [property: MinLength(1), Description("JavaScript that defines `main(input)`.")] string Code,
    [property: Range(1, int.MaxValue), Description("At most the worker's ceiling.")] int? TimeoutMs = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Extracts JSON from `input-file-document` (or text/JSON on `input-json-0`) to `output-json-0`. Config: `{json_schema, instructions?, model?, n_consensus?}`, checked when the block runs.")]
public sealed record ExtractDraftBlock(JsonObject? Config = null, string? Id = null, string? Name = null) : DraftBlock;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Routes `input-file-document` to `output-file-<category-key>`. Config: `{categories: [{name, description}], model?}`, checked when the block runs.")]
public sealed record ClassifierDraftBlock(JsonObject? Config = null, string? Id = null, string? Name = null) : DraftBlock;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Splits `input-file-document` into `output-json-splits` and `output-file-<key>` per part. Config: `{subdocuments: [{name, description}], model?}`, checked when the block runs.")]
public sealed record SplitDraftBlock(JsonObject? Config = null, string? Id = null, string? Name = null) : DraftBlock;

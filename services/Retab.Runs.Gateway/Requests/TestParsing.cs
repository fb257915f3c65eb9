using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Requests;

/// <summary>A test's <c>source</c>: manual inputs, or a reference to the inputs a block received in an earlier result.</summary>
public sealed record SourceRequest(JsonObject Source, JsonObject? ManualInputs, string? RunId, string? StepId);

/// <summary>Reads the <c>source</c> and <c>assertion</c> of a test body.</summary>
public static class TestParsing
{
    private static readonly string[] AssertionKeys = ["id", "target", "condition", "label"];
    private static readonly string[] TargetKeys = ["output_handle_id", "path"];

    public static Assertion? ParseAssertion(BodyReader reader, JsonObject assertion, string? existingId = null)
    {
        object[] at = ["assertion"];
        reader.RejectUnknownKeys(assertion, AssertionKeys, at);
        var id = reader.OptionalString(assertion, "id", at) ?? existingId ?? ResourceIds.New(ResourceIds.Assertion);
        var label = reader.OptionalString(assertion, "label", at);
        var target = reader.RequiredObject(assertion, "target", at);
        string? handle = null, path = null;
        if (target is not null)
        {
            reader.RejectUnknownKeys(target, TargetKeys, "assertion", "target");
            handle = reader.RequiredString(target, "output_handle_id", "assertion", "target");
            path = reader.OptionalString(target, "path", "assertion", "target");
        }
        if (!assertion.TryGetPropertyValue("condition", out var condition) || condition is null)
            reader.Add(new FieldError(BodyReader.Loc("condition", at), "Field required", "missing"));
        else
            reader.AddAll(ConditionValidator.Validate(condition), "assertion", "condition");

        return reader.HasErrors || handle is null || condition is not JsonObject conditionObject
            ? null
            : new Assertion(id, new AssertionTarget(handle, string.IsNullOrEmpty(path) ? null : path), conditionObject.DeepClone().AsObject(), label);
    }

    /// <param name="maxInputBytes">The largest the inputs may serialize to (<c>Limits:MaxTestInputBytes</c>): they are stored with the test and again in every result.</param>
    public static SourceRequest? ParseSource(BodyReader reader, JsonObject source, int maxInputBytes)
    {
        object[] at = ["source"];
        switch (reader.RequiredString(source, "type", at))
        {
            case "manual":
                reader.RejectUnknownKeys(source, ["type", "handle_inputs"], at);
                var inputs = reader.RequiredObject(source, "handle_inputs", at);
                if (inputs is not null)
                {
                    ValidateHandleInputs(reader, inputs);
                    CheckInputSize(reader, inputs, maxInputBytes);
                }
                return reader.HasErrors || inputs is null ? null : new SourceRequest(source.DeepClone().AsObject(), inputs.DeepClone().AsObject(), null, null);
            case "run_step":
                reader.RejectUnknownKeys(source, ["type", "run_id", "step_id"], at);
                var runId = reader.RequiredString(source, "run_id", at);
                var stepId = reader.OptionalString(source, "step_id", at);
                return runId is null ? null : new SourceRequest(source.DeepClone().AsObject(), null, runId, stepId);
            case null:
                return null;
            default:
                reader.Add(new FieldError(BodyReader.Loc("type", at), "Input should be 'manual' or 'run_step'", "union_tag_invalid"));
                return null;
        }
    }

    /// <summary><c>{handle_id: {type: "json", data} | {type: "file", document: {id, filename, mime_type}}}</c>.</summary>
    private static void ValidateHandleInputs(BodyReader reader, JsonObject inputs)
    {
        foreach (var (handle, value) in inputs)
        {
            object[] at = ["source", "handle_inputs", handle];
            if (value is not JsonObject input)
            {
                reader.Add(new FieldError(["body", .. at], "Input should be a valid dictionary", "dict_type"));
                continue;
            }
            switch (reader.RequiredString(input, "type", at))
            {
                case "json":
                    reader.RejectUnknownKeys(input, ["type", "data"], at);
                    if (!input.ContainsKey("data"))
                        reader.Add(new FieldError(BodyReader.Loc("data", at), "Field required", "missing"));
                    break;
                case "file":
                    reader.RejectUnknownKeys(input, ["type", "document"], at);
                    if (reader.RequiredObject(input, "document", at) is { } document)
                    {
                        reader.RequiredString(document, "id", [.. at, "document"]);
                        reader.RequiredString(document, "filename", [.. at, "document"]);
                        reader.RequiredString(document, "mime_type", [.. at, "document"]);
                    }
                    break;
                case null:
                    break;
                default:
                    reader.Add(new FieldError(BodyReader.Loc("type", at), "Input should be 'json' or 'file'", "union_tag_invalid"));
                    break;
            }
        }
    }

    private static void CheckInputSize(BodyReader reader, JsonObject inputs, int maxInputBytes)
    {
        var size = JsonSerializer.SerializeToUtf8Bytes(inputs).Length;
        if (size > maxInputBytes)
            reader.Add(new FieldError(["body", "source", "handle_inputs"],
                $"The test's inputs serialize to {size} bytes; at most {maxInputBytes} are allowed (setting Limits:MaxTestInputBytes). Upload large documents as files and reference them.",
                "input_too_large"));
    }

    /// <summary>The file ids that manual inputs of type <c>file</c> name, by handle (the source is already validated).</summary>
    public static IEnumerable<(string Handle, string FileId)> FileReferences(SourceRequest source) =>
        (source.ManualInputs ?? [])
            .Where(input => input.Value is JsonObject { } value && value["type"]?.GetValue<string>() == "file")
            .Select(input => (input.Key, input.Value!["document"]!["id"]!.GetValue<string>()));

    /// <summary>True when the body explicitly sets <paramref name="key"/> to JSON null.</summary>
    public static bool IsExplicitNull(JsonObject body, string key) =>
        body.TryGetPropertyValue(key, out var node) && (node is null || node.GetValueKind() == JsonValueKind.Null);
}

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Retab.Runs.Core.Assertions;

/// <summary>What a test asserts about one output of its block. <see cref="Condition"/> is the raw condition object (discriminated by <c>kind</c>), already validated.</summary>
public sealed record Assertion(string Id, AssertionTarget Target, JsonObject Condition, string? Label)
{
    [JsonIgnore]
    public string Kind => Condition["kind"] is JsonValue kind && kind.TryGetValue<string>(out var name) ? name : "";
}

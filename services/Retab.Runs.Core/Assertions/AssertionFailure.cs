using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>Why an assertion failed or was blocked. <see cref="Code"/> is stable (<c>path_not_found</c>, <c>type_error</c>…).</summary>
public sealed record AssertionFailure(string Code, string Message, JsonObject? Details = null);

namespace Retab.Runs.Gateway.OpenApi;

/// <summary>What a query parameter's value is, as the document describes it.</summary>
public enum QueryValueKind { String, Integer, Boolean }

/// <summary>
/// Endpoint metadata: one query parameter a handler reads through <see cref="Http.QueryReader"/> (which keeps its own
/// FastAPI-style 422s, so nothing is bound by the framework). Read by <see cref="Transformers.QueryParametersTransformer"/>.
/// </summary>
public sealed record QueryParameter(
    string Name,
    string Description,
    QueryValueKind Kind = QueryValueKind.String,
    bool Required = false,
    IReadOnlyList<string>? Values = null,
    int? Minimum = null,
    int? Maximum = null,
    string? Default = null);

using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Validation;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// Reads a JSON request body field by field, collecting every problem as a FastAPI-style <see cref="FieldError"/>
/// under <c>loc = ["body", …]</c>, so one 422 names all that is wrong.
/// </summary>
public sealed class BodyReader
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>
    /// Parses the body as a JSON object within the limits of <see cref="ServiceLimits"/>: too large is a 413, too
    /// deep, too long a string or a broken surrogate a 422 naming the setting; an empty or malformed body is a 422
    /// <c>json_invalid</c>.
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, bool optional = false)
    {
        var bodies = RequestBodies.Of(request.HttpContext);
        var (text, tooLarge) = await bodies.ReadTextAsync(request.HttpContext);
        if (text is null)
            return (null, tooLarge);
        if (string.IsNullOrWhiteSpace(text))
            return optional ? ([], null) : (null, ApiErrors.Validation(new FieldError(["body"], "Field required", "missing")));

        JsonNode? node;
        try
        {
            // The parser allows the depth the stores and the bus accept; the body's own limit is checked below with a clear error.
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = ServiceLimits.InternalJsonDepth });
        }
        catch (JsonException error)
        {
            return (null, ApiErrors.Validation(new FieldError(["body", (int)(error.BytePositionInLine ?? 0)], $"JSON decode error: {error.Message}", "json_invalid")));
        }
        if (node is not JsonObject body)
            return (null, ApiErrors.Validation(new FieldError(["body"], "Input should be a valid dictionary or object", "dict_type")));
        var problems = JsonShapeCheck.Problems(body, bodies.Limits);
        return problems.Count == 0 ? (body, null) : (null, ApiErrors.Validation(problems));
    }

    public void Add(FieldError error) => _errors.Add(error);

    public void AddAll(IEnumerable<FieldError> errors, params object[] prefix) => _errors.AddRange(errors.Select(e => e.Under(["body", .. prefix])));

    public string? RequiredString(JsonObject obj, string key, params object[] at) =>
        String(obj, key, required: true, at);

    public string? OptionalString(JsonObject obj, string key, params object[] at) =>
        String(obj, key, required: false, at);

    public JsonObject? RequiredObject(JsonObject obj, string key, params object[] at) => Object(obj, key, required: true, at);

    public JsonObject? OptionalObject(JsonObject obj, string key, params object[] at) => Object(obj, key, required: false, at);

    public JsonArray? RequiredArray(JsonObject obj, string key, params object[] at)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
            return Missing<JsonArray>(key, at);
        if (node is JsonArray array)
            return array;
        _errors.Add(new FieldError(Loc(key, at), "Input should be a valid list", "list_type"));
        return null;
    }

    /// <summary>Rejects keys the model does not know (pydantic's <c>extra="forbid"</c>).</summary>
    public void RejectUnknownKeys(JsonObject obj, IReadOnlyCollection<string> allowed, params object[] at)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
                _errors.Add(new FieldError(Loc(key, at), "Extra inputs are not permitted", "extra_forbidden"));
        }
    }

    public static object[] Loc(string key, object[] at) => ["body", .. at, key];

    private string? String(JsonObject obj, string key, bool required, object[] at)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
            return required ? Missing<string>(key, at) : null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            if (!JsonShapeCheck.TryRead(value, out var text))
            {
                _errors.Add(JsonShapeCheck.Unicode(Loc(key, at)));
                return null;
            }
            if (!required || text.Length > 0)
                return text;
            _errors.Add(new FieldError(Loc(key, at), "String should have at least 1 character", "string_too_short"));
            return null;
        }
        _errors.Add(new FieldError(Loc(key, at), "Input should be a valid string", "string_type"));
        return null;
    }

    private JsonObject? Object(JsonObject obj, string key, bool required, object[] at)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
            return required ? Missing<JsonObject>(key, at) : null;
        if (node is JsonObject child)
            return child;
        _errors.Add(new FieldError(Loc(key, at), "Input should be a valid dictionary", "dict_type"));
        return null;
    }

    private T? Missing<T>(string key, object[] at) where T : class
    {
        _errors.Add(new FieldError(Loc(key, at), "Field required", "missing"));
        return null;
    }
}

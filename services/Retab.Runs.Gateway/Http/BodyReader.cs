using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
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
        var (utf8, tooLarge) = await bodies.ReadUtf8Async(request.HttpContext);
        if (utf8 is null)
            return (null, tooLarge);
        if (IsBlank(utf8))
            return optional ? ([], null) : (null, ApiErrors.Validation(new FieldError(["body"], "Field required", "missing")));

        JsonNode? node;
        try
        {
            node = Parse(utf8);
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

    /// <summary>
    /// A valid UTF-8 body (what every ordinary client sends) is parsed as it came off the wire. Parsing it as a string
    /// made a UTF-16 copy of twice its size, which System.Text.Json then transcoded back to UTF-8 in a buffer rented from
    /// the shared ArrayPool; the pool keeps such buffers (megabytes for big bodies) in each thread's own slot until two
    /// gen-2 collections at least 30 s apart have seen them unused: after the hostile corpus they were the larger part
    /// of what a full GC could not give back (issue 12; tests/Retab.Runs.Benchmarks, hostile-memory). Invalid UTF-8 is
    /// still read as text with U+FFFD replacements, so such a body is answered as before.
    /// </summary>
    private static JsonNode? Parse(byte[] utf8)
    {
        // The parser allows the depth the stores and the bus accept; the body's own limit is checked afterwards with a clear error.
        var options = new JsonDocumentOptions { MaxDepth = ServiceLimits.InternalJsonDepth };
        return Utf8.IsValid(utf8)
            ? JsonNode.Parse(utf8.AsSpan(), documentOptions: options)
            : JsonNode.Parse(Encoding.UTF8.GetString(utf8), documentOptions: options);
    }

    /// <summary><see cref="string.IsNullOrWhiteSpace"/> of the body's text, decoded only when no ASCII byte settles it.</summary>
    private static bool IsBlank(byte[] utf8)
    {
        foreach (var b in utf8)
        {
            if (b < 0x80 && !char.IsWhiteSpace((char)b))
                return false;
        }
        return string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(utf8));
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
            if (!JsonText.TryReadString(value, out var read) || read is not { } text)
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

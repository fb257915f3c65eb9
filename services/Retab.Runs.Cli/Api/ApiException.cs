using System.Net;
using System.Text.Json.Nodes;

namespace Retab.Runs.Cli.Api;

/// <summary>The service answered with an error: its status, and the code and message of its <c>detail</c> body.</summary>
public sealed class ApiException(HttpStatusCode status, string? code, string message)
    : CliException(message, ExitCodes.UsageOrConnection)
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    /// <summary>Reads both error shapes: <c>{"detail": {"code", "message"}}</c> and FastAPI's 422 <c>{"detail": [{"loc", "msg"}]}</c>.</summary>
    public static ApiException From(HttpStatusCode status, string body)
    {
        JsonNode? detail = null;
        try
        {
            detail = JsonNode.Parse(body)?["detail"];
        }
        catch (System.Text.Json.JsonException)
        {
            // Not ours (a proxy's HTML page, say): the status alone speaks.
        }
        var statusText = $"{(int)status} {status}";
        switch (detail)
        {
            case JsonObject error:
                var code = error["code"]?.ToString();
                return new ApiException(status, code, $"{statusText}: {code}: {error["message"]}");
            case JsonArray fields:
                var lines = fields.OfType<JsonObject>().Select(field =>
                    $"  {string.Join('.', (field["loc"] as JsonArray ?? []).Select(part => part?.ToString()))}: {field["msg"]}");
                return new ApiException(status, "validation_error", $"{statusText}: the request is invalid\n{string.Join('\n', lines)}");
            default:
                var excerpt = body.Length > 200 ? body[..200] + "…" : body;
                return new ApiException(status, null, string.IsNullOrWhiteSpace(excerpt) ? statusText : $"{statusText}: {excerpt}");
        }
    }
}

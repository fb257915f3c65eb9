using System.Net;
using System.Text;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Calls the API by <c>operationId</c> and holds every exchange to the document: the JSON body sent must conform to
/// the operation's request schema (or, when the test sends a wrong one on purpose, must not), the status must be one
/// the operation declares, and the body received must conform to the schema declared for that status.
/// </summary>
public sealed class ContractClient(OpenApiContract contract, HttpClient http)
{
    public OpenApiContract Contract => contract;

    public HttpClient Http => http;

    public async Task<ApiClient.Response> SendAsync(
        string operationId,
        HttpStatusCode expected,
        JsonNode? body = null,
        IReadOnlyDictionary<string, string>? path = null,
        string? query = null,
        bool bodyConforms = true,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var operation = contract[operationId];
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), operation.Url(path, query));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        if (body is not null)
        {
            var schema = operation.RequestSchema();
            Assert.True(schema is not null, $"{operation} declares no JSON request body.");
            var problems = contract.Problems(schema, body);
            Assert.True((problems.Count == 0) == bodyConforms,
                $"{operation}: the body {(bodyConforms ? "should" : "should not")} conform to the documented request schema: {body.ToJsonString()}\n{string.Join("\n", problems)}");
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, OpenApiContract.Json);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{operation}: expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        var json = Check(operation, response, text);
        return new ApiClient.Response(response.StatusCode, json, text, response.Headers.Location?.ToString());
    }

    /// <summary>Checks a response the test obtained another way (multipart, signed URLs) against <paramref name="operationId"/>.</summary>
    public JsonNode? Check(string operationId, HttpResponseMessage response, string text) => Check(contract[operationId], response, text);

    private JsonNode? Check(OpenApiContract.Operation operation, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        var declared = operation.Response(status);
        Assert.True(declared is not null, $"{operation} answered {status}, which the document does not declare: {text}");
        var content = declared!["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            Assert.True(text.Length == 0, $"{operation} {status} has no documented body but answered: {text}");
            return null;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        Assert.True(content.ContainsKey(mediaType), $"{operation} {status} answered {mediaType}, not one of {string.Join(", ", content.Select(c => c.Key))}.");
        var schema = content[mediaType]!["schema"]!;
        if (IsBinary(schema))
            return null;
        // A text body is the string the schema describes.
        var json = mediaType == OpenApiContract.Json ? JsonNode.Parse(text) : JsonValue.Create(text);
        var problems = contract.Problems(schema, json);
        Assert.True(problems.Count == 0, $"{operation} {status}: the body does not conform to the documented schema: {text}\n{string.Join("\n", problems)}");
        return json;
    }

    private static bool IsBinary(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() == "#/components/schemas/Stream" || schema["format"]?.GetValue<string>() == "binary";
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Uploads over real HTTP, as a Retab SDK or curl does them.</summary>
public static class FileUploads
{
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Starts an upload; returns the session (<c>fileId</c>, <c>uploadUrl</c>, …).</summary>
    public static async Task<JsonNode> StartAsync(ApiClient api, string filename, long size, string? sha256 = null, string? contentType = null)
    {
        var body = new JsonObject { ["filename"] = filename, ["size_bytes"] = size };
        if (sha256 is not null)
            body["sha256"] = sha256;
        if (contentType is not null)
            body["content_type"] = contentType;
        return (await api.PostAsync("/v1/files/upload", body)).ShouldBe(HttpStatusCode.OK).Json!;
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient http, string uploadUrl, byte[] content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await http.SendAsync(request);
    }

    /// <summary>Start, PUT (without the API key: the URL's signature is the authorization) and complete.</summary>
    public static async Task<ApiClient.Response> UploadAsync(StandaloneHost host, ApiClient api, string filename, byte[] content, string? sha256 = null)
    {
        var session = await StartAsync(api, filename, content.Length, sha256);
        using var anonymous = host.CreateClient();
        using var put = await PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>(), content);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return await api.PostAsync($"/v1/files/upload/{session["fileId"]}/complete", new JsonObject());
    }

    public static async Task<ApiClient.Response> MultipartAsync(ApiClient api, string filename, byte[] content, string contentType = "application/octet-stream")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", filename);
        using var response = await api.Http.PostAsync("/v1/files", form);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiClient.Response(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text, response.Headers.Location?.ToString());
    }
}

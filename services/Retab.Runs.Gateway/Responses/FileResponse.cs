using System.Text.Json.Serialization;
using Retab.Runs.Core.Files;

namespace Retab.Runs.Gateway.Responses;

/// <summary>Retab's <c>File</c>: <c>GET /v1/files/{file_id}</c> and the items of <c>GET /v1/files</c>.</summary>
public sealed record FileResponse(string Id, string Filename, string? MimeType, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int? PageCount)
{
    public string Object => "file";

    public static FileResponse From(StoredFile file) =>
        new(file.Id, file.Filename, file.MimeType, file.CreatedAt, file.UpdatedAt, file.PageCount);
}

/// <summary>
/// The durable reference an upload returns: Retab's <c>MIMEData</c> (<c>filename</c>, <c>url</c>) plus the
/// <c>FileRef</c> fields (<c>id</c>, <c>mime_type</c>) a test input's <c>document</c> takes.
/// </summary>
public sealed record FileReference(string Id, string Filename, string? MimeType, string Url, long SizeBytes, string? Sha256, int? PageCount)
{
    public string Object => "file";

    public static FileReference From(StoredFile file, string baseUrl) =>
        new(file.Id, file.Filename, file.MimeType, $"{baseUrl}/v1/files/{file.Id}", file.SizeBytes, file.Sha256, file.PageCount);
}

/// <summary>Retab's <c>CreateUploadResponse</c>, whose fields the SDK reads by their camelCase aliases.</summary>
public sealed record UploadSessionResponse(
    [property: JsonPropertyName("fileId")] string FileId,
    [property: JsonPropertyName("uploadUrl")] string UploadUrl,
    [property: JsonPropertyName("uploadHeaders")] IReadOnlyDictionary<string, string> UploadHeaders,
    [property: JsonPropertyName("mimeData")] FileReference MimeData,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt)
{
    [JsonPropertyName("uploadMethod")]
    public string UploadMethod => "PUT";
}

/// <summary>Retab's <c>FileLink</c>; <c>expires_in</c> is the URL's lifetime in seconds.</summary>
public sealed record FileLinkResponse(string DownloadUrl, string ExpiresIn, DateTimeOffset ExpiresAt, string Filename, FileReference MimeData);

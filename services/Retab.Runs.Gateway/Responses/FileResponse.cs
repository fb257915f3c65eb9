using System.Text.Json.Serialization;
using Retab.Runs.Core.Files;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// Retab's <c>File</c>: <c>GET /v1/files/{file_id}</c> and the items of <c>GET /v1/files</c>. One generation of its
/// Python model requires <c>organization_id</c>: the caller's own organization, the only one whose files it sees.
/// </summary>
public sealed record FileResponse(string Id, string OrganizationId, string Filename, string? MimeType, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int? PageCount)
{
    public string Object => "file";

    public static FileResponse From(StoredFile file) =>
        new(file.Id, file.OrganizationId, file.Filename, file.MimeType, file.CreatedAt, file.UpdatedAt, file.PageCount);
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

/// <summary>
/// Retab's <c>CreateUploadResponse</c>. The Python SDK reads its fields by their camelCase aliases (or their names);
/// the dotnet SDK maps every property through a snake_case naming strategy, so it reads only <c>file_id</c>,
/// <c>upload_url</c>…: both spellings are written.
/// </summary>
public sealed record UploadSessionResponse(
    [property: JsonPropertyName("fileId")] string FileId,
    [property: JsonPropertyName("uploadUrl")] string UploadUrl,
    [property: JsonPropertyName("uploadHeaders")] IReadOnlyDictionary<string, string> UploadHeaders,
    [property: JsonPropertyName("mimeData")] FileReference MimeData,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt)
{
    [JsonPropertyName("uploadMethod")]
    public string UploadMethod => "PUT";

    [JsonPropertyName("file_id")]
    public string FileIdSnakeCase => FileId;

    [JsonPropertyName("upload_url")]
    public string UploadUrlSnakeCase => UploadUrl;

    [JsonPropertyName("upload_method")]
    public string UploadMethodSnakeCase => UploadMethod;

    [JsonPropertyName("upload_headers")]
    public IReadOnlyDictionary<string, string> UploadHeadersSnakeCase => UploadHeaders;

    [JsonPropertyName("mime_data")]
    public FileReference MimeDataSnakeCase => MimeData;

    [JsonPropertyName("expires_at")]
    public DateTimeOffset ExpiresAtSnakeCase => ExpiresAt;
}

/// <summary>Retab's <c>FileLink</c>; <c>expires_in</c> is the URL's lifetime in seconds.</summary>
public sealed record FileLinkResponse(string DownloadUrl, string ExpiresIn, DateTimeOffset ExpiresAt, string Filename, FileReference MimeData);

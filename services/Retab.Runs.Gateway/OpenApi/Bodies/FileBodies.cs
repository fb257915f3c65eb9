using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

// The bodies of the file routes; FilesApi reads them.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Starts a two-step upload: PUT the bytes to the returned `uploadUrl`, then complete it. Larger than `Files:MaxBytes` is a 413.")]
public sealed record CreateUploadRequest(
    [property: MinLength(1)] string Filename,
    [property: Range(typeof(long), "0", "9223372036854775807")] long SizeBytes,
    string? ContentType = null,
    [property: RegularExpression(FileBodies.Sha256Pattern), Description("Checked against the uploaded bytes on completion.")] string? Sha256 = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("Optional; an empty body is the same as `{}`.")]
public sealed record CompleteUploadRequest(
    [property: RegularExpression(FileBodies.Sha256Pattern), Description("Checked against the uploaded bytes.")] string? Sha256 = null);

[Description("`curl -F file=@invoice.pdf`: upload and completion in one request.")]
public sealed record UploadFileForm(
    [property: Description("The file's bytes.")] IFormFile File,
    [property: RegularExpression(FileBodies.Sha256Pattern), Description("Checked against the file's bytes.")] string? Sha256 = null);

internal static class FileBodies
{
    public const string Sha256Pattern = "^[0-9a-fA-F]{64}$";
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Files;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>
/// Files (Retab's file API): a signed two-step upload (start, PUT the bytes, complete), a one-step multipart upload,
/// reads, and signed download links. The PUT and download routes sit outside the API-key filter: their signature is
/// their authorization.
/// </summary>
public static partial class FilesApi
{
    public static RouteGroupBuilder MapFilesApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/files").WithTags("Files");
        api.MapPost("/upload", StartUpload).WithName("create_upload").WithSummary("Start a signed upload")
            .AcceptsJson<CreateUploadRequest>().Produces<UploadSessionResponse>().ProducesError(StatusCodes.Status413PayloadTooLarge, "file_too_large");
        api.MapPost("/upload/{file_id}/complete", CompleteUpload).WithName("complete_upload").WithSummary("Complete a signed upload")
            .AcceptsJson<CompleteUploadRequest>(optional: true).Produces<FileReference>()
            .ProducesError(StatusCodes.Status404NotFound, "file_not_found").ProducesError(StatusCodes.Status409Conflict, "upload_incomplete")
            .ProducesError(StatusCodes.Status410Gone, "upload_expired").ProducesError(StatusCodes.Status413PayloadTooLarge, "file_too_large")
            .ProducesError(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        api.MapPost("/", UploadMultipart).WithName("upload_file").WithSummary("Upload a file in one request")
            .Accepts<UploadFileForm>("multipart/form-data").Produces<FileReference>(StatusCodes.Status201Created)
            .ProducesError(StatusCodes.Status413PayloadTooLarge, "file_too_large")
            .ProducesError(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type").ProducesValidationError();
        api.MapGet("/", ListFiles).WithName("list_files").WithSummary("List files")
            .WithQuery(QueryParameters.Page).Produces<ListResponse<FileResponse>>().ProducesValidationError();
        api.MapGet("/{file_id}", GetFile).WithName("get_file").WithSummary("Get a file")
            .Produces<FileResponse>().ProducesError(StatusCodes.Status404NotFound, "file_not_found");
        api.MapGet("/{file_id}/download-link", GetDownloadLink).WithName("get_file_download_link").WithSummary("Get a signed download link")
            .Produces<FileLinkResponse>().ProducesError(StatusCodes.Status404NotFound, "file_not_found").ProducesError(StatusCodes.Status409Conflict, "upload_incomplete");
        return v1;
    }

    /// <summary>The routes signed URLs point at.</summary>
    public static IEndpointRouteBuilder MapFileTransfers(this IEndpointRouteBuilder app)
    {
        var transfers = app.MapGroup("/v1/files").WithTags("Files").WithMetadata(EndpointSecurity.SignedUrl);
        transfers.MapPut("/upload/{file_id}/content", PutContent).WithName("put_upload_content").WithSummary("Send the bytes of a signed upload")
            .WithQuery(QueryParameters.Signature).Accepts<Stream>("application/octet-stream").Produces(StatusCodes.Status200OK)
            .ProducesError(StatusCodes.Status403Forbidden, "invalid_signature", "url_expired").ProducesError(StatusCodes.Status404NotFound, "file_not_found")
            .ProducesError(StatusCodes.Status409Conflict, "upload_already_complete").ProducesError(StatusCodes.Status413PayloadTooLarge, "file_too_large");
        transfers.MapGet("/{file_id}/content", Download).WithName("download_file_content").WithSummary("Download a file through a signed link")
            .WithQuery(QueryParameters.Signature).ProducesFileContent()
            .ProducesError(StatusCodes.Status403Forbidden, "invalid_signature", "url_expired").ProducesError(StatusCodes.Status404NotFound, "file_not_found");
        return app;
    }

    public static async Task<IResult> StartUpload([AsParameters] FileServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["filename", "size_bytes", "content_type", "sha256"]);
        var filename = reader.RequiredString(body, "filename");
        var contentType = reader.OptionalString(body, "content_type");
        var sha256 = ReadSha256(reader, reader.OptionalString(body, "sha256"));
        long size = -1;
        if (!body.TryGetPropertyValue("size_bytes", out var sizeNode) || sizeNode is null)
            reader.Add(new FieldError(["body", "size_bytes"], "Field required", "missing"));
        else if (sizeNode.GetValueKind() != JsonValueKind.Number || !sizeNode.AsValue().TryGetValue(out size) || size < 0)
            reader.Add(new FieldError(["body", "size_bytes"], "Input should be a non-negative integer", "int_type"));
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);
        if (size > s.MaxBytes)
            return FileErrors.TooLarge(s.MaxBytes);

        var file = await StartAsync(s, filename!, contentType, size, sha256);
        var expiresAt = file.UploadExpiresAt;
        var url = $"{s.BaseUrl}/v1/files/upload/{file.Id}/content?{s.Signer.Query(UrlPurpose.Upload, file.OrganizationId, file.Id, expiresAt)}";
        return Results.Ok(new UploadSessionResponse(file.Id, url, new Dictionary<string, string>(), FileReference.From(file, s.BaseUrl), expiresAt));
    }

    public static async Task<IResult> PutContent(string file_id, [AsParameters] FileServices s)
    {
        if (CheckSignature(s, UrlPurpose.Upload, file_id, out var organizationId) is { } rejected)
            return rejected;
        var file = await s.Files.GetAsync(organizationId, file_id, s.Aborted);
        if (file is null)
            return FileErrors.NotFound(file_id);
        if (file.IsComplete)
            return FileErrors.AlreadyComplete(file_id);

        var content = await ReadBoundedAsync(s.Http, s.MaxBytes);
        if (content is null)
            return FileErrors.TooLarge(s.MaxBytes);
        return await s.Files.SaveContentAsync(file.OrganizationId, file.Id, content, s.Aborted)
            ? Results.Ok()
            : FileErrors.AlreadyComplete(file_id);
    }

    public static async Task<IResult> CompleteUpload(string file_id, [AsParameters] FileServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request, optional: true);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["sha256"]);
        var sha256 = ReadSha256(reader, reader.OptionalString(body, "sha256"));
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);
        var file = await s.Files.GetAsync(s.OrganizationId, file_id, s.Aborted);
        if (file is null)
            return FileErrors.NotFound(file_id);

        var (completed, failure) = await s.Ingest.CompleteAsync(file, sha256, s.Aborted);
        return completed is null ? failure! : Results.Ok(FileReference.From(completed, s.BaseUrl));
    }

    /// <summary><c>curl -F file=@invoice.pdf</c>: upload and completion in one request.</summary>
    public static async Task<IResult> UploadMultipart([AsParameters] FileServices s)
    {
        var request = s.Http.Request;
        if (!request.HasFormContentType)
            return ApiErrors.Validation(new FieldError(["body", "file"], "Send the file as multipart/form-data in a field named 'file'", "missing"));
        // Multipart framing adds a little to the file itself.
        var bodyLimit = s.MaxBytes + 64 * 1024;
        if (request.ContentLength > bodyLimit)
            return FileErrors.TooLarge(s.MaxBytes);
        AllowBody(s.Http, bodyLimit);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = bodyLimit }, s.Aborted);
        }
        catch (InvalidDataException)
        {
            return FileErrors.TooLarge(s.MaxBytes);
        }
        if (form.Files.GetFile("file") is not { } upload)
            return ApiErrors.Validation(new FieldError(["body", "file"], "Field required", "missing"));
        if (upload.Length > s.MaxBytes)
            return FileErrors.TooLarge(s.MaxBytes);
        var reader = new BodyReader();
        var sha256 = ReadSha256(reader, form["sha256"].FirstOrDefault());
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var content = new byte[upload.Length];
        await using (var stream = upload.OpenReadStream())
            await stream.ReadExactlyAsync(content, s.Aborted);
        var file = await StartAsync(s, string.IsNullOrWhiteSpace(upload.FileName) ? "upload" : upload.FileName, upload.ContentType, content.LongLength, sha256);
        await s.Files.SaveContentAsync(file.OrganizationId, file.Id, content, s.Aborted);
        var (completed, failure) = await s.Ingest.CompleteAsync(file, sha256, s.Aborted);
        return completed is null ? failure! : Results.Created($"/v1/files/{completed.Id}", FileReference.From(completed, s.BaseUrl));
    }

    public static async Task<IResult> ListFiles([AsParameters] FileServices s)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var files = await s.Files.ListAsync(s.OrganizationId, page, s.Aborted);
        return Results.Ok(ListResponse<FileResponse>.From(files, FileResponse.From));
    }

    public static async Task<IResult> GetFile(string file_id, [AsParameters] FileServices s) =>
        await s.Files.GetAsync(s.OrganizationId, file_id, s.Aborted) is { } file
            ? Results.Ok(FileResponse.From(file))
            : FileErrors.NotFound(file_id);

    public static async Task<IResult> GetDownloadLink(string file_id, [AsParameters] FileServices s)
    {
        var file = await s.Files.GetAsync(s.OrganizationId, file_id, s.Aborted);
        if (file is null)
            return FileErrors.NotFound(file_id);
        if (!file.IsComplete)
            return FileErrors.NotComplete(file_id);
        var lifetime = s.Options.Value.DownloadUrlLifetime;
        var expiresAt = Clock.Now(s.Time) + lifetime;
        var url = $"{s.BaseUrl}/v1/files/{file.Id}/content?{s.Signer.Query(UrlPurpose.Download, file.OrganizationId, file.Id, expiresAt)}";
        return Results.Ok(new FileLinkResponse(url, ((long)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            expiresAt, file.Filename, FileReference.From(file, s.BaseUrl)));
    }

    public static async Task<IResult> Download(string file_id, [AsParameters] FileServices s)
    {
        if (CheckSignature(s, UrlPurpose.Download, file_id, out var organizationId) is { } rejected)
            return rejected;
        var file = await s.Files.GetAsync(organizationId, file_id, s.Aborted);
        var content = file is { IsComplete: true } ? await s.Files.ReadContentAsync(file.OrganizationId, file.Id, s.Aborted) : null;
        return content is null ? FileErrors.NotFound(file_id) : Results.File(content, file!.MimeType, file.Filename);
    }

    /// <summary>Null when the URL's signature is valid for this purpose and file (then the organization it names is the caller's); else the 403.</summary>
    private static IResult? CheckSignature(FileServices s, UrlPurpose purpose, string fileId, out string organizationId)
    {
        var query = s.Http.Request.Query;
        organizationId = query["organization_id"].FirstOrDefault() ?? "";
        var check = s.Signer.Check(purpose, organizationId, fileId, query["expires"], query["signature"]);
        return check == SignatureCheck.Valid ? null : FileErrors.BadSignature(check);
    }

    private static async Task<StoredFile> StartAsync(FileServices s, string filename, string? contentType, long size, string? sha256)
    {
        var now = Clock.Now(s.Time);
        var file = new StoredFile
        {
            Id = ResourceIds.New(ResourceIds.File, now),
            OrganizationId = s.OrganizationId,
            Filename = filename,
            DeclaredContentType = contentType,
            SizeBytes = size,
            Sha256 = sha256?.ToLowerInvariant(),
            CreatedAt = now,
            UpdatedAt = now,
            UploadExpiresAt = now + s.Options.Value.UploadUrlLifetime,
        };
        await s.Files.InsertAsync(file, s.Aborted);
        return file;
    }

    private static string? ReadSha256(BodyReader reader, string? sha256)
    {
        if (sha256 is null || Sha256Pattern().IsMatch(sha256))
            return sha256;
        reader.Add(new FieldError(["body", "sha256"], "Input should be 64 hexadecimal characters", "string_pattern_mismatch"));
        return null;
    }

    /// <summary>The body up to <paramref name="maxBytes"/>; null as soon as it is longer (the rest is never read).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext http, long maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
            return null;
        AllowBody(http, maxBytes + 1);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Kestrel stops bodies at 30 MB by default; file routes enforce <c>Files:MaxBytes</c> themselves.</summary>
    private static void AllowBody(HttpContext http, long maxBytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}

using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Files;

/// <summary>Every error the file routes answer, built in one place.</summary>
public static class FileErrors
{
    public static IResult NotFound(string fileId) => ApiErrors.NotFound("file_not_found", $"File '{fileId}' does not exist.");

    public static IResult TooLarge(long maxBytes) =>
        ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, "file_too_large", $"Files may be at most {maxBytes} bytes (setting Files:MaxBytes).");

    public static IResult Unsupported(string message) =>
        ApiErrors.Error(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", message);

    public static IResult Unreadable(string message) => ApiErrors.Validation(new FieldError(["body", "file"], message, "unreadable_document"));

    public static IResult ShaMismatch(string actual) =>
        ApiErrors.Validation(new FieldError(["body", "sha256"], $"The uploaded content has SHA-256 {actual}, not the one given.", "value_error"));

    public static IResult SizeMismatch(long declared, long actual) =>
        ApiErrors.Validation(new FieldError(["body", "size_bytes"], $"The upload declared {declared} bytes but {actual} were uploaded.", "value_error"));

    public static IResult NoContent(string fileId) =>
        ApiErrors.Conflict("upload_incomplete", $"No content was uploaded for file '{fileId}': PUT the bytes to its uploadUrl first.");

    public static IResult Expired(string fileId) =>
        ApiErrors.Error(StatusCodes.Status410Gone, "upload_expired", $"The upload session of file '{fileId}' expired before any content arrived; start a new upload.");

    public static IResult AlreadyComplete(string fileId) =>
        ApiErrors.Conflict("upload_already_complete", $"File '{fileId}' is complete; its content cannot change.");

    public static IResult NotComplete(string fileId) =>
        ApiErrors.Conflict("upload_incomplete", $"File '{fileId}' has not been completed yet.");

    public static IResult BadSignature(SignatureCheck check) => check == SignatureCheck.Expired
        ? ApiErrors.Error(StatusCodes.Status403Forbidden, "url_expired", "This signed URL has expired; ask for a new one.")
        : ApiErrors.Error(StatusCodes.Status403Forbidden, "invalid_signature", "This URL's signature is not valid.");
}

using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// Reads a JSON request body once, never more than <see cref="ServiceLimits.MaxRequestBytes"/>: a body announced
/// larger is refused before a byte is read, and a chunked one is cut off as soon as it passes the limit, so a
/// careless 1 GB upload costs the gateway at most the limit in memory. The bytes are kept for the request so the
/// idempotency filter and the handler share one read.
/// </summary>
public sealed class RequestBodies(IOptions<ServiceLimits> limits)
{
    private const string BytesItem = "retab-runs.body-utf8";

    /// <summary>
    /// The largest piece a body is gathered in: under the large-object threshold (85,000 bytes), so the pieces of a
    /// big body are short-lived garbage the GC compacts, not holes in the large object heap, and the body is copied
    /// once into an array of its exact size. A growing MemoryStream doubled into a new large array at every step
    /// instead: about twice the body in dead large arrays per request.
    /// </summary>
    private const int PieceBytes = 64 * 1024;

    /// <summary>Pieces of a body that announces no length (chunked): the usual JSON body fits in one.</summary>
    private const int UnannouncedPieceBytes = 16 * 1024;

    public ServiceLimits Limits => limits.Value;

    public long MaxBytes => Limits.MaxRequestBytes;

    public static RequestBodies Of(HttpContext http) => http.RequestServices.GetRequiredService<RequestBodies>();

    /// <returns>The body's bytes as received (not checked to be UTF-8), or the 413 to answer.</returns>
    public async Task<(byte[]? Utf8, IResult? Error)> ReadUtf8Async(HttpContext http)
    {
        if (http.Items[BytesItem] is byte[] read)
            return (read, null);
        if (http.Request.ContentLength > MaxBytes)
            return (null, TooLarge());
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
            kestrelLimit.MaxRequestBodySize = MaxBytes + 1;

        // Pieces are allocated as bytes arrive, not up front from Content-Length: a client that announces the limit
        // and sends nothing must not cost the limit in memory per connection.
        var pieces = new List<byte[]>();
        long length = 0;
        try
        {
            while (true)
            {
                // An announced body is read in pieces of what is still to come, so a small one is one array of its size.
                var piece = new byte[http.Request.ContentLength is { } announced
                    ? (int)Math.Clamp(announced - length, 1, PieceBytes)
                    : UnannouncedPieceBytes];
                var filled = 0;
                int count;
                while (filled < piece.Length && (count = await http.Request.Body.ReadAsync(piece.AsMemory(filled), http.RequestAborted)) > 0)
                    filled += count;
                if (length + filled > MaxBytes)
                    return (null, TooLarge());
                if (filled > 0)
                {
                    pieces.Add(piece);
                    length += filled;
                }
                if (filled < piece.Length)
                    break;
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }

        var body = Join(pieces, (int)length);
        http.Items[BytesItem] = body;
        return (body, null);
    }

    private static byte[] Join(List<byte[]> pieces, int length)
    {
        if (pieces is [var only] && only.Length == length)
            return only;
        var body = new byte[length];
        var at = 0;
        foreach (var piece in pieces)
        {
            var take = Math.Min(piece.Length, length - at);
            piece.AsSpan(0, take).CopyTo(body.AsSpan(at));
            at += take;
        }
        return body;
    }

    /// <returns>The body as text (invalid UTF-8 read as U+FFFD), or the 413 to answer.</returns>
    public async Task<(string? Text, IResult? Error)> ReadTextAsync(HttpContext http)
    {
        var (utf8, error) = await ReadUtf8Async(http);
        return utf8 is null ? (null, error) : (Encoding.UTF8.GetString(utf8), null);
    }

    public IResult TooLarge()
    {
        var (status, code, message) = TooLargeDetail();
        return ApiErrors.Error(status, code, message);
    }

    public (int Status, string Code, string Message) TooLargeDetail() => (StatusCodes.Status413PayloadTooLarge, "request_too_large",
        $"The request body may be at most {MaxBytes} bytes (setting Limits:MaxRequestBytes).");
}

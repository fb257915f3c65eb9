using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// Reads a JSON request body once, never more than <see cref="ServiceLimits.MaxRequestBytes"/>: a body announced
/// larger is refused before a byte is read, and a chunked one is cut off as soon as it passes the limit, so a
/// careless 1 GB upload costs the gateway at most the limit in memory. The text is kept for the request so the
/// idempotency filter and the handler share one read.
/// </summary>
public sealed class RequestBodies(IOptions<ServiceLimits> limits)
{
    private const string TextItem = "retab-runs.body-text";

    public ServiceLimits Limits => limits.Value;

    public long MaxBytes => Limits.MaxRequestBytes;

    public static RequestBodies Of(HttpContext http) => http.RequestServices.GetRequiredService<RequestBodies>();

    /// <returns>The body as text, or the 413 to answer.</returns>
    public async Task<(string? Text, IResult? Error)> ReadTextAsync(HttpContext http)
    {
        if (http.Items[TextItem] is string read)
            return (read, null);
        if (http.Request.ContentLength > MaxBytes)
            return (null, TooLarge());
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
            kestrelLimit.MaxRequestBodySize = MaxBytes + 1;

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int count;
        try
        {
            while ((count = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + count > MaxBytes)
                    return (null, TooLarge());
                buffer.Write(chunk, 0, count);
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        http.Items[TextItem] = text;
        return (text, null);
    }

    public IResult TooLarge()
    {
        var (status, code, message) = TooLargeDetail();
        return ApiErrors.Error(status, code, message);
    }

    public (int Status, string Code, string Message) TooLargeDetail() => (StatusCodes.Status413PayloadTooLarge, "request_too_large",
        $"The request body may be at most {MaxBytes} bytes (setting Limits:MaxRequestBytes).");
}

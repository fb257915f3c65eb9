using System.Text;
using System.Text.Json;

namespace Retab.Runs.Documents;

/// <summary>
/// Decides what a file is from its bytes, never from what the client declared: a declared type or a file extension
/// only chooses between text flavours (Markdown, CSV, JSON) of content that already is valid UTF-8 text.
/// </summary>
public static class ContentSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <returns>The content type, or null when the content is of no type this service reads.</returns>
    public static string? Sniff(ReadOnlySpan<byte> content, string? filename = null, string? declaredType = null)
    {
        if (IsPdf(content))
            return MimeTypes.Pdf;
        if (ImageType(content) is { } image)
            return image;
        if (DecodeText(content) is not { } text)
            return null;

        var extension = Path.GetExtension(filename ?? "").ToLowerInvariant();
        var declared = (declaredType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if ((extension == ".json" || declared == MimeTypes.Json) && IsJson(text))
            return MimeTypes.Json;
        if (extension is ".md" or ".markdown" || declared == MimeTypes.Markdown)
            return MimeTypes.Markdown;
        if (extension == ".csv" || declared == MimeTypes.Csv)
            return MimeTypes.Csv;
        return MimeTypes.PlainText;
    }

    /// <summary>The text of UTF-8 content (without a byte order mark); null when it is not text.</summary>
    public static string? DecodeText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
            content = content[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        // Valid UTF-8 can still be binary (zeros, control bytes): text files hold tabs and line breaks, not those.
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
                return null;
        }
        return text;
    }

    /// <summary>
    /// <c>%PDF-</c> within the first kilobyte, as PDF readers accept (some generators put a few bytes first).
    /// </summary>
    private static bool IsPdf(ReadOnlySpan<byte> content) =>
        content[..Math.Min(content.Length, 1024)].IndexOf("%PDF-"u8) >= 0;

    private static string? ImageType(ReadOnlySpan<byte> content) => content switch
    {
        _ when content.StartsWith(PngSignature) => MimeTypes.Png,
        _ when content.StartsWith(JpegSignature) => MimeTypes.Jpeg,
        _ when content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8) => MimeTypes.Gif,
        _ when content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8) => MimeTypes.Webp,
        _ => null,
    };

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

namespace Retab.Runs.Documents;

/// <summary>The content types this service accepts; everything else is refused at upload (415).</summary>
public static class MimeTypes
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";
    public const string PlainText = "text/plain";
    public const string Markdown = "text/markdown";
    public const string Csv = "text/csv";
    public const string Json = "application/json";

    public static bool IsImage(string mimeType) => mimeType.StartsWith("image/", StringComparison.Ordinal);

    public static bool IsText(string mimeType) => mimeType is PlainText or Markdown or Csv or Json;
}

using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Retab.Runs.Documents;

/// <summary>
/// Sniffs content and extracts its page texts: a PDF page by page (PdfPig, which also gives the page count), a text
/// file as one page, an image as one page without text (vision models read its bytes).
/// </summary>
public static class DocumentInspector
{
    public static DocumentInspection Inspect(byte[] content, string? filename = null, string? declaredType = null)
    {
        var mimeType = ContentSniffer.Sniff(content, filename, declaredType);
        if (mimeType is null)
            return DocumentInspection.Refused(InspectionFailure.Unsupported,
                "The content is not a supported type: PDF, PNG, JPEG, GIF, WEBP, or UTF-8 text (plain, Markdown, CSV, JSON).");
        if (mimeType == MimeTypes.Pdf)
            return InspectPdf(content);
        if (MimeTypes.IsImage(mimeType))
            return new DocumentInspection(mimeType, [], 1);
        return new DocumentInspection(mimeType, [ContentSniffer.DecodeText(content)!], 1);
    }

    private static DocumentInspection InspectPdf(byte[] content)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            var pages = document.GetPages().Select(page => ContentOrderTextExtractor.GetText(page)).ToList();
            return new DocumentInspection(MimeTypes.Pdf, pages, pages.Count);
        }
        // PdfPig reports damage with many exception types (its own, and format or index errors from the parser);
        // whatever it is, the upload is refused with the reason instead of failing the request.
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return DocumentInspection.Refused(InspectionFailure.Unreadable, $"The PDF cannot be read: {error.Message}");
        }
    }
}

using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Retab.Runs.Testing;

/// <summary>Real PDFs made by the tests themselves (PdfPig's writer, a standard 14 font): one page per text.</summary>
public static class TestPdfs
{
    public static byte[] WithPages(params string[] pageTexts)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pageTexts)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(text, 12, new PdfPoint(50, 750), font);
        }
        return builder.Build();
    }
}

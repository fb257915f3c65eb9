using System.Text;
using Retab.Runs.Testing;

namespace Retab.Runs.Documents.Tests;

public sealed class DocumentInspectorTests
{
    [Fact]
    public void A_pdf_gives_the_text_of_each_page_and_its_page_count()
    {
        var inspection = DocumentInspector.Inspect(TestPdfs.WithPages("Invoice number 42", "Total 120 EUR", "Thank you"));

        Assert.True(inspection.Succeeded, inspection.Message);
        Assert.Equal(MimeTypes.Pdf, inspection.MimeType);
        Assert.Equal(3, inspection.PageCount);
        Assert.Equal(3, inspection.Pages.Count);
        Assert.Contains("Invoice number 42", inspection.Pages[0]);
        Assert.Contains("Total 120 EUR", inspection.Pages[1]);
        Assert.DoesNotContain("Invoice", inspection.Pages[1]);
        Assert.Contains("Thank you", inspection.Pages[2]);
    }

    [Fact]
    public void A_damaged_pdf_is_unreadable_with_a_reason()
    {
        var pdf = TestPdfs.WithPages("hello");
        var damaged = pdf.Take(40).Concat(new byte[200]).ToArray();

        var inspection = DocumentInspector.Inspect(damaged);

        Assert.Equal(InspectionFailure.Unreadable, inspection.Failure);
        Assert.StartsWith("The PDF cannot be read", inspection.Message);
    }

    [Fact]
    public void A_text_file_is_one_page_of_its_text()
    {
        var inspection = DocumentInspector.Inspect(Encoding.UTF8.GetBytes("a,b\n1,2\n"), "t.csv");

        Assert.Equal(MimeTypes.Csv, inspection.MimeType);
        Assert.Equal(1, inspection.PageCount);
        Assert.Equal(["a,b\n1,2\n"], inspection.Pages);
    }

    [Fact]
    public void An_image_is_one_page_without_text()
    {
        var inspection = DocumentInspector.Inspect([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]);

        Assert.Equal(MimeTypes.Jpeg, inspection.MimeType);
        Assert.Equal(1, inspection.PageCount);
        Assert.Empty(inspection.Pages);
    }

    [Fact]
    public void Anything_else_is_unsupported()
    {
        var inspection = DocumentInspector.Inspect([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);

        Assert.Equal(InspectionFailure.Unsupported, inspection.Failure);
        Assert.Null(inspection.MimeType);
    }
}

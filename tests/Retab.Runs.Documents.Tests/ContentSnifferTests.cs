using System.Text;
using Retab.Runs.Testing;

namespace Retab.Runs.Documents.Tests;

/// <summary>The type comes from the bytes; a declared type or an extension only picks a flavour of text.</summary>
public sealed class ContentSnifferTests
{
    public static TheoryData<string, byte[], string?, string?, string?> Cases() => new()
    {
        { "pdf", TestPdfs.WithPages("hello"), "a.txt", "text/plain", MimeTypes.Pdf },
        { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "a.pdf", "application/pdf", MimeTypes.Png },
        { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46], "photo", null, MimeTypes.Jpeg },
        { "gif87", "GIF87a\u0001\u0000"u8.ToArray(), null, null, MimeTypes.Gif },
        { "gif89", "GIF89a\u0001\u0000"u8.ToArray(), null, null, MimeTypes.Gif },
        { "webp", "RIFF\u0010\u0000\u0000\u0000WEBPVP8 "u8.ToArray(), "x.webp", null, MimeTypes.Webp },
        { "riff that is not webp", "RIFF\u0010\u0000\u0000\u0000WAVEfmt "u8.ToArray(), "x.webp", "image/webp", null },
        { "plain text", "Invoice 42\nTotal: 120 EUR\n"u8.ToArray(), "invoice.txt", null, MimeTypes.PlainText },
        { "utf-8 with a bom", [0xEF, 0xBB, 0xBF, .. "Grüße"u8.ToArray()], null, null, MimeTypes.PlainText },
        { "markdown by extension", "# Title\n"u8.ToArray(), "notes.md", null, MimeTypes.Markdown },
        { "markdown by declared type", "# Title\n"u8.ToArray(), "notes", "text/markdown; charset=utf-8", MimeTypes.Markdown },
        { "csv", "a,b\n1,2\n"u8.ToArray(), "table.csv", null, MimeTypes.Csv },
        { "json that parses", "{\"a\": [1, 2]}"u8.ToArray(), "data.json", null, MimeTypes.Json },
        { "json declared but broken is text", "{\"a\": "u8.ToArray(), "data.json", "application/json", MimeTypes.PlainText },
        { "json content without a json name is text", "{\"a\": 1}"u8.ToArray(), "data.txt", null, MimeTypes.PlainText },
        { "declared pdf that is text", "not a pdf"u8.ToArray(), "fake.pdf", "application/pdf", MimeTypes.PlainText },
        { "binary zeros", [0, 1, 2, 3, 0, 0], "a.txt", "text/plain", null },
        { "invalid utf-8", [0x48, 0x69, 0xC3, 0x28], "a.txt", "text/plain", null },
        { "zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0], "a.docx", null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sniffs_the_type_from_the_bytes(string because, byte[] content, string? filename, string? declared, string? expected)
    {
        Assert.True(expected == ContentSniffer.Sniff(content, filename, declared), $"{because}: got {ContentSniffer.Sniff(content, filename, declared)}");
    }

    [Fact]
    public void A_pdf_header_after_a_few_leading_bytes_is_still_a_pdf()
    {
        var content = Encoding.ASCII.GetBytes("\r\n  ").Concat(TestPdfs.WithPages("x")).ToArray();
        Assert.Equal(MimeTypes.Pdf, ContentSniffer.Sniff(content));
    }
}

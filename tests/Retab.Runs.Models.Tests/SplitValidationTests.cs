using System.Text.Json.Nodes;
using Retab.Runs.Blocks.Model;

namespace Retab.Runs.Models.Tests;

public sealed class SplitValidationTests
{
    private static readonly Subdocument[] Subdocuments = [new("Invoice", "", false), new("Receipt", "", true)];

    [Theory]
    [InlineData("{'splits': [{'name': 'Invoice', 'pages': [1, 2]}, {'name': 'Receipt', 'pages': [3]}]}", null)]
    [InlineData("{'splits': []}", null)]
    [InlineData("{'splits': [{'name': 'Receipt', 'pages': [1]}, {'name': 'Receipt', 'pages': [2]}]}", null)]
    [InlineData("{'splits': [{'name': 'Invoice', 'pages': [4]}]}", "page(s) 4 outside the document's 3 page(s)")]
    [InlineData("{'splits': [{'name': 'Invoice', 'pages': [-1, 0]}]}", "page(s) -1, 0 outside")]
    [InlineData("{'splits': [{'name': 'invoice', 'pages': [1]}]}", "'invoice', which is not one of: Invoice, Receipt")]
    [InlineData("{'splits': [{'name': 'Invoice', 'pages': [1]}, {'name': 'Invoice', 'pages': [2]}]}", "more than once")]
    [InlineData("{'splits': [{'name': 'Invoice', 'pages': [1.5]}]}", "not a whole number")]
    [InlineData("{'splits': [{'name': 'Invoice'}]}", "is not {name, pages}")]
    [InlineData("[]", "is not {splits")]
    public void A_split_answer_is_checked_against_subdocuments_and_page_count(string answer, string? error)
    {
        var (parts, parseError) = SplitValidation.Parse(JsonNode.Parse(answer.Replace('\'', '"')));
        var problem = parseError ?? SplitValidation.Check(parts!, Subdocuments, pageCount: 3);

        if (error is null)
            Assert.Null(problem);
        else
            Assert.Contains(error, problem);
    }

    [Theory]
    [InlineData("Invoice", null, "invoice")]
    [InlineData("Purchase Order", null, "purchase-order")]
    [InlineData("  Bank Statement ", null, "bank-statement")]
    [InlineData("Purchase Order", "po", "po")]
    public void A_handle_key_is_the_given_key_or_the_name_lower_cased_with_hyphens(string name, string? handleKey, string expected) =>
        Assert.Equal(expected, HandleKeys.Of(name, handleKey));
}

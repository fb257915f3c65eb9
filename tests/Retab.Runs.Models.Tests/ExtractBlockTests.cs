using System.Text.Json.Nodes;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Runs;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Models.Tests.ModelHarness;

namespace Retab.Runs.Models.Tests;

public sealed class ExtractBlockTests
{
    private const string InvoiceConfig = "{" + InvoiceSchema + "}";
    private const string InvoiceSchema = "'json_schema': {'type': 'object', 'properties': {'total': {'type': 'number'}, 'vendor': {'type': 'string'}}, 'required': ['total', 'vendor']}";

    private static string InvoiceConfigWith(string extra) => "{" + InvoiceSchema + ", " + extra + "}";
    private const string JsonInput = "{'input-json-0': {'type': 'json', 'data': 'Invoice from ACME, total 120 EUR'}}";

    [Fact]
    public async Task Extract_output_passes_an_assertion_on_the_extracted_value()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Json(new { total = 120, vendor = "ACME" }));

        var outcome = await harness.RunAsync("extract", InvoiceConfig, JsonInput,
            "{'target': {'output_handle_id': 'output-json-0', 'path': 'total'}, 'condition': {'kind': 'equals', 'expected': 120}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.Equal(120, outcome.HandleOutputs["output-json-0"]!["data"]!["total"]!.GetValue<int>());
        var request = Assert.Single(harness.Server.ChatRequests);
        Assert.Equal("stub-default", request.Model);
        Assert.Equal("number", request.Schema!["properties"]!["total"]!["type"]!.GetValue<string>());
        Assert.Contains("Invoice from ACME", request.Text);
    }

    [Fact]
    public async Task Extract_output_fails_an_assertion_that_expects_another_value()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Json(new { total = 99, vendor = "ACME" }));

        var outcome = await harness.RunAsync("extract", InvoiceConfig, JsonInput,
            "{'target': {'output_handle_id': 'output-json-0', 'path': 'total'}, 'condition': {'kind': 'equals', 'expected': 120}}");

        Assert.Equal(Verdict.Failed, outcome.Verdict);
        Assert.Equal(99, outcome.AssertionResult.ActualValue!.GetValue<int>());
    }

    [Fact]
    public async Task Extract_reads_a_documents_page_texts_labelled_by_page_and_uses_the_blocks_model()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_invoice", "ACME Corp\nInvoice 7", "Total due: 120 EUR");
        harness.Server.Enqueue(ModelAnswer.Json(new { total = 120, vendor = "ACME Corp" }));

        var outcome = await harness.RunAsync("extract", InvoiceConfigWith("'model': 'my-vision-model', 'instructions': 'Amounts in EUR.'"), FileInput("file_invoice"),
            "{'target': {'output_handle_id': 'output-json-0', 'path': 'vendor'}, 'condition': {'kind': 'equals', 'expected': 'ACME Corp'}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        var request = Assert.Single(harness.Server.ChatRequests);
        Assert.Equal("my-vision-model", request.Model);
        Assert.Contains("--- Page 2 ---\nTotal due: 120 EUR", request.Text);
        Assert.Contains("Amounts in EUR.", request.Text);
    }

    [Theory]
    [InlineData("retab-small")]
    [InlineData("retab-large")]
    public async Task Retab_model_names_mean_the_configured_default(string model)
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Json(new { total = 1, vendor = "x" }));

        await harness.RunAsync("extract", InvoiceConfigWith($"'model': '{model}'"), JsonInput,
            "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal("stub-default", Assert.Single(harness.Server.ChatRequests).Model);
    }

    [Fact]
    public async Task A_file_the_organization_does_not_have_blocks_the_test_with_a_clear_message()
    {
        await using var harness = await StartAsync();

        var outcome = await harness.RunAsync("extract", InvoiceConfig, FileInput("file_missing"),
            "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal(Verdict.Blocked, outcome.Verdict);
        Assert.Equal(TestExecution.BlockExecutionFailed, outcome.AssertionResult.Failure!.Code);
        Assert.Contains("'file_missing'", outcome.AssertionResult.Failure.Message);
        Assert.Equal(0, harness.Server.ChatRequestCount);
    }

    public static TheoryData<string, string> UnusableAnswers => new()
    {
        { "not JSON at all, sorry", "not JSON" },
        { "{\"total\": \"one hundred\", \"vendor\": \"ACME\"}", "does not match 'json_schema'" },
        { "{\"vendor\": \"ACME\"}", "does not match 'json_schema'" },
    };

    [Theory]
    [MemberData(nameof(UnusableAnswers))]
    public async Task An_unusable_model_answer_blocks_the_test_with_the_raw_text_in_the_details(string content, string messagePart)
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Text(content));

        var outcome = await harness.RunAsync("extract", InvoiceConfig, JsonInput,
            "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal(Verdict.Blocked, outcome.Verdict);
        var failure = outcome.AssertionResult.Failure!;
        Assert.Equal(TestExecution.BlockExecutionFailed, failure.Code);
        Assert.Contains(messagePart, failure.Message);
        Assert.Equal(content, failure.Details!["raw_output"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_raw_text_in_the_details_is_bounded()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Text(new string('x', 50_000)));

        var outcome = await harness.RunAsync("extract", InvoiceConfig, JsonInput,
            "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}");

        var raw = outcome.AssertionResult.Failure!.Details!["raw_output"]!.GetValue<string>();
        Assert.StartsWith(new string('x', ModelText.MaxDetailChars), raw);
        Assert.True(raw.Length < ModelText.MaxDetailChars + 100);
    }

    [Theory]
    [InlineData("{'json_schema': {'type': 'object'}, 'n_consensus': 0}", "n_consensus")]
    [InlineData("{'json_schema': {'type': 'object'}, 'n_consensus': 2.5}", "n_consensus")]
    [InlineData("{'json_schema': {'type': 'object'}, 'n_consensus': 99}", "n_consensus")]
    [InlineData("{'instructions': 'x'}", "json_schema")]
    [InlineData("{'json_schema': {'type': 5}}", "not a valid JSON schema")]
    public async Task A_config_the_block_cannot_use_blocks_the_test_before_any_model_call(string config, string messagePart)
    {
        await using var harness = await StartAsync();

        var outcome = await harness.RunAsync("extract", config, JsonInput, "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal(TestExecution.BlockExecutionFailed, outcome.AssertionResult.Failure!.Code);
        Assert.Contains(messagePart, outcome.AssertionResult.Failure.Message);
        Assert.Equal(0, harness.Server.ChatRequestCount);
    }

    [Fact]
    public async Task Consensus_keeps_the_majority_per_leaf_and_reports_the_share_that_agreed()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(
            ModelAnswer.Json(new { total = 120, vendor = "ACME" }),
            ModelAnswer.Json(new { total = 120, vendor = "ACME Corp" }),
            ModelAnswer.Json(new { total = 12, vendor = "ACME" }));

        var outcome = await harness.RunAsync("extract", InvoiceConfigWith("'n_consensus': 3"), JsonInput,
            "{'target': {'output_handle_id': 'output-json-0', 'path': 'total'}, 'condition': {'kind': 'equals', 'expected': 120}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.Equal(3, harness.Server.ChatRequestCount);
        Assert.Equal("ACME", outcome.HandleOutputs["output-json-0"]!["data"]!["vendor"]!.GetValue<string>());
        var likelihoods = outcome.Consensus!["likelihoods"]!;
        Assert.Equal(0.667, likelihoods["total"]!.GetValue<double>());
        Assert.Equal(0.667, likelihoods["vendor"]!.GetValue<double>());
    }
}

using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Runs;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Models.Tests.ModelHarness;

namespace Retab.Runs.Models.Tests;

/// <summary>Classifier and split: the document routed to output-file-&lt;key&gt; handles, routing decisions, validation of the model's answer.</summary>
public sealed class RoutingBlockTests
{
    private const string Categories = "{'categories': [{'name': 'Purchase Order', 'description': 'an order'}, {'name': 'Invoice', 'description': 'a bill', 'handle_key': 'bill'}]}";
    private const string Subdocuments = "{'subdocuments': [{'name': 'Invoice', 'description': 'a bill'}, {'name': 'Receipt', 'description': 'proof of payment', 'allow_multiple_instances': true}]}";

    [Fact]
    public async Task Classifier_routes_the_document_to_the_chosen_categorys_handle()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_po", "PURCHASE ORDER 42");
        harness.Server.Enqueue(ModelAnswer.Json(new { reasoning = "It says purchase order.", category = "Purchase Order" }));

        var outcome = await harness.RunAsync("classifier", Categories, FileInput("file_po"),
            "{'target': {'output_handle_id': 'output-json-decision', 'path': 'category'}, 'condition': {'kind': 'equals', 'expected': 'Purchase Order'}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        var routed = outcome.HandleOutputs["output-file-purchase-order"]!;
        Assert.Equal("file", routed["type"]!.GetValue<string>());
        Assert.Equal("file_po", routed["document"]!["id"]!.GetValue<string>());
        var decision = Assert.Single(outcome.RoutingDecisions!)!;
        Assert.Equal("output-file-purchase-order", decision["handle_id"]!.GetValue<string>());
        Assert.Equal("It says purchase order.", decision["reasoning"]!.GetValue<string>());
        var schema = Assert.Single(harness.Server.ChatRequests).Schema!;
        Assert.Equal(["Purchase Order", "Invoice"], schema["properties"]!["category"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task A_categorys_handle_key_names_its_output_handle_and_assertions_can_target_the_routed_document()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_bill", "INVOICE 7");
        harness.Server.Enqueue(ModelAnswer.Json(new { reasoning = "A bill.", category = "Invoice" }));

        var outcome = await harness.RunAsync("classifier", Categories, FileInput("file_bill"),
            "{'target': {'output_handle_id': 'output-file-bill', 'path': 'id'}, 'condition': {'kind': 'equals', 'expected': 'file_bill'}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.False(outcome.HandleOutputs.ContainsKey("output-file-invoice"));
    }

    [Fact]
    public async Task A_category_the_config_does_not_name_blocks_the_test_with_the_raw_answer()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_x", "?");
        harness.Server.Enqueue(ModelAnswer.Text("{\"reasoning\": \"hmm\", \"category\": \"Receipt\"}"));

        var outcome = await harness.RunAsync("classifier", Categories, FileInput("file_x"), "{'target': {'output_handle_id': 'output-json-decision'}, 'condition': {'kind': 'exists'}}");

        var failure = outcome.AssertionResult.Failure!;
        Assert.Equal(TestExecution.BlockExecutionFailed, failure.Code);
        Assert.Contains("'Receipt'", failure.Message);
        Assert.Contains("Receipt", failure.Details!["raw_output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Classifier_consensus_votes_the_category_and_reports_its_share()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_po", "PO");
        harness.Server.Enqueue(
            ModelAnswer.Json(new { reasoning = "bill?", category = "Invoice" }),
            ModelAnswer.Json(new { reasoning = "order", category = "Purchase Order" }),
            ModelAnswer.Json(new { reasoning = "order again", category = "Purchase Order" }));

        var outcome = await harness.RunAsync("classifier", Categories.Replace("]}", "], 'n_consensus': 3}"), FileInput("file_po"),
            "{'target': {'output_handle_id': 'output-json-decision', 'path': 'category'}, 'condition': {'kind': 'equals', 'expected': 'Purchase Order'}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        // The three calls run at once, so which queued answer each gets is arrival order: the reasoning is one of the winners'.
        Assert.Contains(outcome.HandleOutputs["output-json-decision"]!["data"]!["reasoning"]!.GetValue<string>(), new[] { "order", "order again" });
        Assert.Equal(0.667, outcome.Consensus!["likelihoods"]!.GetValue<double>());
    }

    [Fact]
    public async Task Split_outputs_the_parts_and_routes_each_to_its_own_handle_with_its_pages()
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_bundle", "INVOICE", "INVOICE cont.", "RECEIPT A", "RECEIPT B");
        harness.Server.Enqueue(ModelAnswer.Json(new
        {
            splits = new object[] { new { name = "Invoice", pages = new[] { 1, 2 } }, new { name = "Receipt", pages = new[] { 3 } }, new { name = "Receipt", pages = new[] { 4 } } },
        }));

        var outcome = await harness.RunAsync("split", Subdocuments, FileInput("file_bundle"),
            "{'target': {'output_handle_id': 'output-json-splits'}, 'condition': {'kind': 'split_iou_gte', 'expected': {'splits': [{'name': 'Invoice', 'pages': [1, 2]}]}}}");

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.Equal("[1,2]", outcome.HandleOutputs["output-file-invoice"]!["document"]!["pages"]!.ToJsonString());
        Assert.Equal("[3]", outcome.HandleOutputs["output-file-receipt"]!["document"]!["pages"]!.ToJsonString());
        Assert.Equal("[4]", outcome.HandleOutputs["output-file-receipt-2"]!["document"]!["pages"]!.ToJsonString());
        Assert.Equal(["output-file-invoice", "output-file-receipt", "output-file-receipt-2"], outcome.RoutingDecisions!.Select(d => d!["handle_id"]!.GetValue<string>()));
        Assert.Contains("--- Page 4 ---\nRECEIPT B", Assert.Single(harness.Server.ChatRequests).Text);
    }

    [Theory]
    [InlineData("{\"splits\": [{\"name\": \"Invoice\", \"pages\": [1, 3]}]}", "page(s) 3 outside the document's 2 page(s)")]
    [InlineData("{\"splits\": [{\"name\": \"Invoice\", \"pages\": [0]}]}", "page(s) 0 outside")]
    [InlineData("{\"splits\": [{\"name\": \"Contract\", \"pages\": [1]}]}", "'Contract', which is not one of")]
    [InlineData("{\"splits\": [{\"name\": \"Invoice\", \"pages\": [1]}, {\"name\": \"Invoice\", \"pages\": [2]}]}", "more than once")]
    [InlineData("{\"parts\": []}", "not {splits")]
    public async Task A_split_the_document_or_config_cannot_have_blocks_the_test(string answer, string messagePart)
    {
        await using var harness = await StartAsync();
        harness.Documents.Add(Organization, "file_two", "one", "two");
        harness.Server.Enqueue(ModelAnswer.Text(answer));

        var outcome = await harness.RunAsync("split", Subdocuments, FileInput("file_two"), "{'target': {'output_handle_id': 'output-json-splits'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal(Verdict.Blocked, outcome.Verdict);
        var failure = outcome.AssertionResult.Failure!;
        Assert.Equal(TestExecution.BlockExecutionFailed, failure.Code);
        Assert.Contains(messagePart, failure.Message);
        Assert.Equal(answer, failure.Details!["raw_output"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("classifier", Categories)]
    [InlineData("split", Subdocuments)]
    public async Task Classifier_and_split_need_a_document(string blockType, string config)
    {
        await using var harness = await StartAsync();

        var outcome = await harness.RunAsync(blockType, config, "{'input-json-0': {'type': 'json', 'data': 'text'}}", "{'target': {'output_handle_id': 'x'}, 'condition': {'kind': 'exists'}}");

        Assert.Equal(TestExecution.BlockExecutionFailed, outcome.AssertionResult.Failure!.Code);
        Assert.Contains("input-file-document", outcome.AssertionResult.Failure.Message);
    }
}

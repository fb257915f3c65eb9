using System.Net;
using Retab.Runs.Testing.ModelServer;
using Retab.Runs.Testing.Scenarios;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Extract, classifier and split blocks on a PDF uploaded through the files API, in the standalone host, against an
/// OpenAI-compatible model server on loopback: the real model client, the bus document source, the fan-in.
/// </summary>
public sealed class ModelBlockRunTests : IAsyncLifetime
{
    private LoopbackModelServer _model = null!;
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await LoopbackModelServer.StartAsync();
        _model.Chat = InvoiceDocumentScenario.Answer;
        _host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Models:BaseUrl"] = _model.BaseUrl,
            ["Models:Default"] = "stub-model",
            ["Models:RetryBaseDelay"] = "00:00:00.050",
        });
    }

    [Fact]
    public async Task Extract_classifier_and_split_tests_of_an_uploaded_pdf_pass_and_fail_as_the_model_answers()
    {
        var (api, workflowId, document) = await ArrangeAsync();
        var expected = new Dictionary<string, string>();
        foreach (var (name, body, verdict) in InvoiceDocumentScenario.Tests(workflowId, document))
            expected[(await api.PostAsync("/v1/workflows/tests", body)).ShouldBe(HttpStatusCode.Created).Id] = verdict;

        var run = await api.WaitForTerminalAsync(await api.StartRunAsync(workflowId));

        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(4, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, run["counts"]!["failed"]!.GetValue<int>());
        var rows = await api.AllResultsAsync(run["id"]!.GetValue<string>());
        Assert.All(rows, row => Assert.Equal(expected[row["test_id"]!.GetValue<string>()], row["verdict"]!.GetValue<string>()));

        var extract = rows.First(r => r["block_id"]!.GetValue<string>() == InvoiceDocumentScenario.ExtractBlock);
        Assert.Equal(120, extract["handle_outputs"]!["output-json-0"]!["data"]!["total"]!.GetValue<int>());
        var classifier = rows.First(r => r["block_id"]!.GetValue<string>() == InvoiceDocumentScenario.ClassifierBlock);
        Assert.Equal("file", classifier["handle_outputs"]!["output-file-invoice"]!["type"]!.GetValue<string>());
        Assert.Equal("output-file-invoice", classifier["routing_decisions"]![0]!.GetValue<string>());
        Assert.Equal("output-file-invoice", classifier["routing_decision_details"]![0]!["handle_id"]!.GetValue<string>());

        // One model call per test; the PDF's page texts reached the model; retab-small became the default model.
        Assert.Equal(5, _model.ChatRequestCount);
        Assert.All(_model.ChatRequests, r => Assert.Contains("ACME", r.Text));
        Assert.All(_model.ChatRequests, r => Assert.Equal("stub-model", r.Model));
    }

    [Fact]
    public async Task A_model_answer_that_breaks_the_schema_blocks_the_test_and_a_model_that_stays_down_ends_it_in_error()
    {
        var (api, workflowId, document) = await ArrangeAsync();
        var (_, body, _) = InvoiceDocumentScenario.Tests(workflowId, document)[0];
        var testId = (await api.PostAsync("/v1/workflows/tests", body)).ShouldBe(HttpStatusCode.Created).Id;
        var single = new JsonObject { ["type"] = "single", ["test_id"] = testId };

        _model.Chat = _ => ModelAnswer.Json(new { total = "one hundred twenty" });
        var garbage = await api.WaitForTerminalAsync(await api.StartRunAsync(workflowId, single));
        var blocked = (await api.AllResultsAsync(garbage["id"]!.GetValue<string>())).Single();
        Assert.Equal("blocked", blocked["verdict"]!.GetValue<string>());
        Assert.Equal("block_execution_failed", blocked["assertion_result"]!["failure"]!["code"]!.GetValue<string>());
        Assert.Contains("one hundred twenty", blocked["assertion_result"]!["failure"]!["details"]!.ToJsonString());

        _model.Chat = _ => ModelAnswer.ServerError(503);
        var down = await api.WaitForTerminalAsync(await api.StartRunAsync(workflowId, (JsonObject)single.DeepClone()));
        Assert.Equal(1, down["counts"]!["error"]!.GetValue<int>());
        var error = (await api.AllResultsAsync(down["id"]!.GetValue<string>())).Single();
        Assert.Equal("error", error["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal("model_unavailable", error["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
        Assert.Contains("503", error["lifecycle"]!["message"]!.GetValue<string>());
    }

    /// <summary>The PDF uploaded through the files API and the scenario's workflow.</summary>
    private async Task<(ApiClient Api, string WorkflowId, JsonObject Document)> ArrangeAsync()
    {
        var api = _host.Client();
        var file = (await FileUploads.UploadAsync(_host, api, "invoice.pdf", InvoiceDocumentScenario.Pdf())).ShouldBe(HttpStatusCode.OK).Json!;
        var workflowId = (await api.PostAsync("/v1/workflows", InvoiceDocumentScenario.Workflow())).ShouldBe(HttpStatusCode.Created).Id;
        return (api, workflowId, InvoiceDocumentScenario.DocumentReference(file));
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
    }
}

using System.Net;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing.ModelServer;
using Retab.Runs.Testing.Scenarios;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// Model-backed blocks in the production shape: a worker OS process holds the model endpoint (and nothing else does),
/// reads the uploaded PDF through the orchestrator over RabbitMQ, and calls the loopback model server.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ModelBlockRunTests(BrokerFixture broker, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_worker_process_runs_extract_classifier_and_split_tests_of_an_uploaded_pdf_over_rabbitmq()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = InvoiceDocumentScenario.Answer;
        await using var stack = await RunsStack.StartAsync(broker, output, "model-blocks", workerProcesses: ["it-model-worker"],
            workerSettings: new Dictionary<string, string> { ["Models:BaseUrl"] = model.BaseUrl, ["Models:Default"] = "stub-model" });
        var api = stack.Api();

        var file = await api.UploadFileAsync("invoice.pdf", InvoiceDocumentScenario.Pdf());
        var document = InvoiceDocumentScenario.DocumentReference(file);
        var workflowId = (await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows", InvoiceDocumentScenario.Workflow()))["id"]!.GetValue<string>();
        var expected = new Dictionary<string, string>();
        foreach (var (_, body, verdict) in InvoiceDocumentScenario.Tests(workflowId, document))
            expected[(await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows/tests", body))["id"]!.GetValue<string>()] = verdict;

        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(4, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, run["counts"]!["failed"]!.GetValue<int>());
        var rows = await api.AllResultsAsync(runId);
        Assert.All(rows, row =>
        {
            Assert.Equal(expected[row["test_id"]!.GetValue<string>()], row["verdict"]!.GetValue<string>());
            Assert.Equal("it-model-worker", row["worker_id"]!.GetValue<string>());
        });
        Assert.Equal(5, model.ChatRequestCount);
        Assert.All(model.ChatRequests, r => Assert.Contains("ACME", r.Text));
        Assert.All(stack.WorkerProcesses, w => Assert.False(w.HasExited, $"worker {w.Name} died:\n{w.Tail()}"));
    }
}

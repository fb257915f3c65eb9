using System.Net;
using System.Security.Cryptography;
using Retab.Runs.Compatibility.Tests.Hosts;
using Retab.Runs.Compatibility.Tests.Payloads;
using Retab.Runs.Testing.ModelServer;
using Retab.Runs.Testing.Scenarios;

namespace Retab.Runs.Compatibility.Tests.Scenarios;

/// <summary>
/// Files and the model-backed blocks, against an OpenAI-compatible server on loopback: the signed and the multipart
/// upload, a file read, listed and linked; extract, classifier and split tests of the uploaded PDF (file inputs, file
/// outputs, routing); then the model down, so a test ends in <c>error</c> (<c>model_unavailable</c>).
/// </summary>
public static class DocumentScenario
{
    public static async Task RunAsync(PayloadCatalog catalog)
    {
        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = InvoiceDocumentScenario.Answer;
        using var host = new StandaloneHost(new Dictionary<string, string?>
        {
            ["Models:BaseUrl"] = model.BaseUrl,
            ["Models:Default"] = "stub-model",
            ["Models:RetryBaseDelay"] = "00:00:00.050",
        });
        var api = host.Api();

        var file = await UploadAsync(host, api, catalog);
        catalog.Record("upload-multipart", (await api.UploadMultipartAsync("notes.txt", "Net 30. Pay by wire."u8.ToArray(), "text/plain"))
            .Expect(HttpStatusCode.Created));
        catalog.Record("file", (await api.GetAsync($"/v1/files/{file["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK));
        catalog.Record("file-list", (await api.GetAsync("/v1/files")).Expect(HttpStatusCode.OK));
        catalog.Record("file-list", (await api.GetAsync("/v1/files?limit=1&order=asc")).Expect(HttpStatusCode.OK));
        catalog.Record("file-link", (await api.GetAsync($"/v1/files/{file["id"]!.GetValue<string>()}/download-link")).Expect(HttpStatusCode.OK));
        catalog.Record("error-404", (await api.GetAsync("/v1/files/file_0000000000unknown0000000000000")).Expect(HttpStatusCode.NotFound));

        var workflowId = (await api.PostAsync("/v1/workflows", InvoiceDocumentScenario.Workflow())).Expect(HttpStatusCode.Created).Id;
        var document = InvoiceDocumentScenario.DocumentReference(file);
        var tests = new List<string>();
        foreach (var (_, body, _) in InvoiceDocumentScenario.Tests(workflowId, document))
        {
            var created = (await api.PostAsync("/v1/workflows/tests", body)).Expect(HttpStatusCode.Created);
            catalog.Record("test-created-file-input", created);
            tests.Add(created.Id);
        }
        // The scenario's first test is an extract test: the one the model, once down, fails.
        var extractTest = tests[0];

        var runId = (await api.StartRunAsync(workflowId)).Id;
        catalog.Record("run-completed", await api.WaitForTerminalAsync(runId));
        foreach (var row in await api.AllResultsAsync(runId))
        {
            var kind = row["block_id"]!.GetValue<string>() switch
            {
                InvoiceDocumentScenario.ExtractBlock => "result-extract-file-input",
                InvoiceDocumentScenario.ClassifierBlock => "result-classifier-routed",
                _ => "result-split-routed",
            };
            catalog.Record(kind, (await api.GetAsync($"/v1/workflows/tests/results/{row["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK));
        }

        model.Chat = _ => ModelAnswer.ServerError(503);
        var down = (await api.StartRunAsync(workflowId, new JsonObject { ["type"] = "single", ["test_id"] = extractTest })).Id;
        catalog.Record("run-completed-with-errors", await api.WaitForTerminalAsync(down));
        var error = (await api.AllResultsAsync(down)).Single();
        catalog.Record("result-error-model-unavailable", (await api.GetAsync($"/v1/workflows/tests/results/{error["id"]!.GetValue<string>()}"))
            .Expect(HttpStatusCode.OK));
        catalog.Record("test-latest-error", (await api.GetAsync($"/v1/workflows/tests/{extractTest}")).Expect(HttpStatusCode.OK));
    }

    /// <summary>The SDK's upload: start (the session), PUT the bytes to the signed URL, complete (the reference).</summary>
    private static async Task<JsonNode> UploadAsync(StandaloneHost host, ApiClient api, PayloadCatalog catalog)
    {
        var pdf = InvoiceDocumentScenario.Pdf();
        var session = (await api.PostAsync("/v1/files/upload", new JsonObject
        {
            ["filename"] = "invoice.pdf",
            ["content_type"] = "application/pdf",
            ["size_bytes"] = pdf.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(pdf)),
        })).Expect(HttpStatusCode.OK);
        catalog.Record("upload-session", session);
        await host.Api(key: null).PutContentAsync(session.Json!["uploadUrl"]!.GetValue<string>(), pdf);
        var completed = (await api.PostAsync($"/v1/files/upload/{session.Json!["fileId"]!.GetValue<string>()}/complete", new JsonObject()))
            .Expect(HttpStatusCode.OK);
        catalog.Record("upload-completed", completed);
        return completed.Json!;
    }
}

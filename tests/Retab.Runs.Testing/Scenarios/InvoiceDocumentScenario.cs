using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Retab.Runs.Testing.ModelServer;

namespace Retab.Runs.Testing.Scenarios;

/// <summary>
/// Model-backed blocks on a real document, end to end: a two-page PDF (an invoice, then its terms) uploaded through the
/// files API; a workflow with an extract, a classifier and a split block; one test per expected behaviour; and the
/// model server's answers, derived from what the prompt actually carries (the PDF's page texts), so a wrong document
/// path shows up as a wrong verdict. Used as is by the acceptance tests (standalone) and over RabbitMQ.
/// </summary>
public static partial class InvoiceDocumentScenario
{
    public const string ExtractBlock = "block_extract_invoice";
    public const string ClassifierBlock = "block_classify";
    public const string SplitBlock = "block_split";

    public static byte[] Pdf() => TestPdfs.WithPages("INVOICE ACME Corp Total: 120 EUR", "Terms and conditions: payment within 30 days");

    /// <summary>How a test input names an uploaded file: <c>{id, filename, mime_type}</c> of the files API's answer.</summary>
    public static JsonObject DocumentReference(JsonNode uploaded) => new()
    {
        ["id"] = uploaded["id"]!.DeepClone(),
        ["filename"] = uploaded["filename"]!.DeepClone(),
        ["mime_type"] = uploaded["mime_type"]!.DeepClone(),
    };

    public static JsonObject Workflow() => new()
    {
        ["name"] = "invoice documents",
        ["blocks"] = new JsonArray(
            Block(ExtractBlock, "extract", new JsonObject
            {
                ["json_schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["total"] = new JsonObject { ["type"] = "number" }, ["vendor"] = new JsonObject { ["type"] = "string" } },
                    ["required"] = new JsonArray("total", "vendor"),
                },
                ["model"] = "retab-small",
            }),
            Block(ClassifierBlock, "classifier", new JsonObject
            {
                ["categories"] = new JsonArray(
                    new JsonObject { ["name"] = "Invoice", ["description"] = "a bill to pay" },
                    new JsonObject { ["name"] = "Receipt", ["description"] = "proof of a payment" }),
            }),
            Block(SplitBlock, "split", new JsonObject
            {
                ["subdocuments"] = new JsonArray(
                    new JsonObject { ["name"] = "Invoice", ["description"] = "the invoice itself" },
                    new JsonObject { ["name"] = "Terms", ["description"] = "terms and conditions" }),
            })),
    };

    /// <summary>(test name, body, expected verdict): two extract tests (pass, fail), the classifier's routing, the split's pages.</summary>
    public static IReadOnlyList<(string Name, JsonObject Body, string Verdict)> Tests(string workflowId, JsonObject document) =>
    [
        ("extract total is 120", Test(workflowId, ExtractBlock, document, "output-json-0", "total", new JsonObject { ["kind"] = "equals", ["expected"] = 120 }), "passed"),
        ("extract total is 999", Test(workflowId, ExtractBlock, document, "output-json-0", "total", new JsonObject { ["kind"] = "equals", ["expected"] = 999 }), "failed"),
        ("classified as invoice", Test(workflowId, ClassifierBlock, document, "output-json-decision", "category", new JsonObject { ["kind"] = "equals", ["expected"] = "Invoice" }), "passed"),
        ("routed with the document", Test(workflowId, ClassifierBlock, document, "output-file-invoice", "id", new JsonObject { ["kind"] = "equals", ["expected"] = document["id"]!.DeepClone() }), "passed"),
        ("split pages", Test(workflowId, SplitBlock, document, "output-json-splits", null, new JsonObject
        {
            ["kind"] = "split_iou_gte",
            ["expected"] = new JsonObject { ["splits"] = new JsonArray(
                new JsonObject { ["name"] = "Invoice", ["pages"] = new JsonArray(1) },
                new JsonObject { ["name"] = "Terms", ["pages"] = new JsonArray(2) }) },
        }), "passed"),
    ];

    /// <summary>What a model would answer, read off the prompt: the total and vendor on the page, the category, the pages.</summary>
    public static ModelAnswer Answer(ChatRequestSeen request)
    {
        var properties = request.Schema?["properties"] as JsonObject;
        if (properties?.ContainsKey("category") == true)
            return ModelAnswer.Json(new { reasoning = "It asks for a total to pay.", category = request.Text.Contains("INVOICE") ? "Invoice" : "Receipt" });
        if (properties?.ContainsKey("splits") == true)
            return ModelAnswer.Json(new { splits = new object[] { new { name = "Invoice", pages = new[] { 1 } }, new { name = "Terms", pages = new[] { 2 } } } });
        var total = TotalOnPage().Match(request.Text);
        var vendor = request.Text.Contains("ACME") ? "ACME Corp" : "unknown";
        return total.Success
            ? ModelAnswer.Json(new { total = int.Parse(total.Groups[1].Value), vendor })
            : ModelAnswer.Text("no total in the prompt");
    }

    private static JsonObject Block(string id, string type, JsonObject config) =>
        new() { ["id"] = id, ["type"] = type, ["name"] = id, ["config"] = config };

    private static JsonObject Test(string workflowId, string blockId, JsonObject document, string handle, string? path, JsonObject condition)
    {
        var target = new JsonObject { ["output_handle_id"] = handle };
        if (path is not null)
            target["path"] = path;
        return new JsonObject
        {
            ["workflow_id"] = workflowId,
            ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId },
            ["source"] = new JsonObject
            {
                ["type"] = "manual",
                ["handle_inputs"] = new JsonObject { ["input-file-document"] = new JsonObject { ["type"] = "file", ["document"] = document.DeepClone() } },
            },
            ["assertion"] = new JsonObject { ["target"] = target, ["condition"] = condition },
        };
    }

    [GeneratedRegex(@"Total:\s*(\d+)")]
    private static partial Regex TotalOnPage();
}

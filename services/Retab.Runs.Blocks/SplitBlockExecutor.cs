using System.Text.Json.Nodes;
using Retab.Runs.Blocks.Model;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Blocks;

/// <summary>
/// <c>split</c> <c>{subdocuments: [{name, description, allow_multiple_instances?}], instructions?, model?, n_consensus?}</c>:
/// the model assigns 1-based pages to subdocuments. <c>output-json-splits</c> is <c>{splits: [{name, pages}]}</c>; each
/// part is also routed to <c>output-file-&lt;key&gt;</c> (the document reference plus its <c>pages</c>), a repeated
/// subdocument's later instances to <c>-2</c>, <c>-3</c>… With consensus the answers vote like extract's, so the
/// likelihoods are Retab's <c>[{name, pages: […]}]</c>.
/// </summary>
internal sealed class SplitBlockExecutor(ModelBlockRunner model) : IBlockExecutor
{
    public const string SplitsHandle = "output-json-splits";

    private const string Prompt = "You split the document into the subdocuments below: for each subdocument you find, give its name and " +
        "the numbers of its pages (1-based, as labelled). Answer with JSON {\"splits\": [{\"name\", \"pages\"}]}.";

    public string BlockType => BlockTypes.Split;

    public async Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        var (items, itemsError) = NamedItems.Read(request.Config, "subdocuments");
        if (items is null)
            return BlockExecutionResult.Failed(itemsError!);
        var subdocuments = items.Select(i => new Subdocument(i.Name, i.Description,
            i.Raw["allow_multiple_instances"] is JsonValue m && m.TryGetValue<bool>(out var many) && many)).ToList();
        var task = $"{Prompt}\n\nSubdocuments:\n{NamedItems.Describe(items)}";
        var (run, failure) = await model.AskAsync(BlockType, request, documentOnly: true, task, Schema(items), "split", cancellationToken).ConfigureAwait(false);
        if (run is null)
            return failure!;

        var (replies, input) = (run.Replies, run.Input);
        foreach (var reply in replies)
        {
            if (SplitValidation.Parse(reply.Json).Error is { } shapeError)
                return ModelReplies.Unusable(shapeError, reply.Raw);
        }

        var vote = replies.Length == 1 ? null : ConsensusVote.Vote(replies.Select(r => r.Json).ToList());
        var answer = vote?.Value ?? replies[0].Json;
        var raw = vote is null ? replies[0].Raw : answer!.ToJsonString();
        var (parts, error) = SplitValidation.Parse(answer);
        error ??= SplitValidation.Check(parts!, subdocuments, input.Document!.PageCount);
        if (error is not null)
            return ModelReplies.Unusable(error, raw);
        return Routed(parts!, items, input) with
        {
            Consensus = vote is null ? null : new JsonObject { ["likelihoods"] = vote.Likelihoods?["splits"]?.DeepClone() },
        };
    }

    private static BlockExecutionResult Routed(IReadOnlyList<SplitPart> parts, IReadOnlyList<NamedItems.Item> items, BlockInput input)
    {
        var outputs = new Dictionary<string, JsonNode?>
        {
            [SplitsHandle] = new JsonObject { ["splits"] = new JsonArray(parts.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["pages"] = Pages(p) }).ToArray()) },
        };
        var fileHandles = new HashSet<string>();
        var routing = new JsonArray();
        var instances = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var instance = instances[part.Name] = instances.GetValueOrDefault(part.Name) + 1;
            var key = HandleKeys.FromName(part.Name) + (instance == 1 ? "" : $"-{instance}");
            var handle = HandleKeys.OutputHandle(key);
            var document = input.DocumentReference();
            document["pages"] = Pages(part);
            outputs[handle] = document;
            fileHandles.Add(handle);
            routing.Add(new JsonObject { ["handle_id"] = handle, ["name"] = part.Name, ["pages"] = Pages(part) });
        }
        return new BlockExecutionResult(outputs) { FileHandles = fileHandles, RoutingDecisions = routing };
    }

    private static JsonArray Pages(SplitPart part) => new(part.Pages.Select(p => (JsonNode?)p).ToArray());

    private static JsonObject Schema(IEnumerable<NamedItems.Item> subdocuments) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["splits"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["name"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(subdocuments.Select(s => (JsonNode?)s.Name).ToArray()) },
                        ["pages"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer" } },
                    },
                    ["required"] = new JsonArray("name", "pages"),
                    ["additionalProperties"] = false,
                },
            },
        },
        ["required"] = new JsonArray("splits"),
        ["additionalProperties"] = false,
    };
}

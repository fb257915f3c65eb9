using System.Text.Json.Nodes;
using Retab.Runs.Blocks.Model;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Blocks;

/// <summary>
/// <c>classifier</c> <c>{categories: [{name, description, handle_key?}], instructions?, model?, n_consensus?}</c>:
/// the model picks one category (an enum in the schema) with its reasoning. The input document is routed to
/// <c>output-file-&lt;key&gt;</c> of that category; the decision <c>{category, reasoning}</c> is also the data of
/// <see cref="DecisionHandle"/>, so an assertion can target the category itself. With consensus the category is
/// voted; the reasoning is that of the first answer that chose the winner.
/// </summary>
internal sealed class ClassifierBlockExecutor(ModelBlockRunner model) : IBlockExecutor
{
    public const string DecisionHandle = "output-json-decision";

    private const string Prompt = "You classify the document into exactly one of the categories below. Answer with JSON: your reasoning, " +
        "then the category's exact name.";

    public string BlockType => BlockTypes.Classifier;

    public async Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        var (categories, categoriesError) = NamedItems.Read(request.Config, "categories");
        if (categories is null)
            return BlockExecutionResult.Failed(categoriesError!);
        var keys = categories.ToDictionary(c => c.Name, c => HandleKeys.Of(c.Name, c.Raw["handle_key"] is JsonValue k && k.TryGetValue<string>(out var key) ? key : null), StringComparer.Ordinal);
        if (keys.Values.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1) is { } clash)
            return BlockExecutionResult.Failed($"Two categories share the output handle '{HandleKeys.OutputHandle(clash.Key)}'; give one a 'handle_key'.");
        var task = $"{Prompt}\n\nCategories:\n{NamedItems.Describe(categories)}";
        var (run, failure) = await model.AskAsync(BlockType, request, documentOnly: true, task, Schema(categories), "classification", cancellationToken).ConfigureAwait(false);
        if (run is null)
            return failure!;

        var decisions = new List<(string Category, string Reasoning)>();
        foreach (var reply in run.Replies)
        {
            if (reply.Json is not JsonObject answer || answer["category"] is not JsonValue c || !c.TryGetValue<string>(out var category))
                return ModelReplies.Unusable("The model's answer is not {category, reasoning}.", reply.Raw);
            if (!keys.ContainsKey(category))
                return ModelReplies.Unusable($"The model chose the category '{category}', which is not one of: {string.Join(", ", keys.Keys)}.", reply.Raw);
            decisions.Add((category, answer["reasoning"] is JsonValue r && r.TryGetValue<string>(out var reasoning) ? reasoning : ""));
        }

        var (winner, share) = ConsensusVote.Leaf(decisions.Select(d => (JsonNode?)JsonValue.Create(d.Category)).ToList(), decisions.Count);
        var decision = decisions[winner];
        var handle = HandleKeys.OutputHandle(keys[decision.Category]);
        return new BlockExecutionResult(new Dictionary<string, JsonNode?>
        {
            [handle] = run.Input.DocumentReference(),
            [DecisionHandle] = Decision(decision),
        })
        {
            FileHandles = new HashSet<string> { handle },
            RoutingDecisions = [new JsonObject { ["handle_id"] = handle, ["category"] = decision.Category, ["reasoning"] = decision.Reasoning }],
            // Retab's classification consensus: one likelihood for the chosen category, and the votes.
            Consensus = decisions.Count == 1 ? null : new JsonObject
            {
                ["likelihoods"] = share,
                ["choices"] = new JsonArray(decisions.Select(d => (JsonNode?)Decision(d)).ToArray()),
            },
        };
    }

    private static JsonObject Decision((string Category, string Reasoning) decision) =>
        new() { ["category"] = decision.Category, ["reasoning"] = decision.Reasoning };

    private static JsonObject Schema(IEnumerable<NamedItems.Item> categories) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["reasoning"] = new JsonObject { ["type"] = "string" },
            ["category"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(categories.Select(c => (JsonNode?)c.Name).ToArray()) },
        },
        ["required"] = new JsonArray("reasoning", "category"),
        ["additionalProperties"] = false,
    };
}

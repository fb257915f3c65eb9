using System.Text.Json.Nodes;
using Retab.Runs.Blocks.Model;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Blocks;

/// <summary>
/// <c>extract</c> <c>{json_schema, instructions?, model?, n_consensus?}</c>: the model answers under the schema
/// (structured output), the answer is validated against it, and with <c>n_consensus</c> &gt; 1 the answers vote
/// leaf by leaf (<see cref="ConsensusVote"/>). Output <c>output-json-0</c>; consensus <c>{likelihoods}</c>.
/// </summary>
internal sealed class ExtractBlockExecutor(ModelBlockRunner model) : IBlockExecutor
{
    public const string OutputHandle = "output-json-0";

    private const string Prompt = "You extract structured data from the input. Answer with one JSON value that conforms to the given JSON schema. " +
        "Use only what the input says; where it says nothing, use null if the schema allows it.";

    public string BlockType => BlockTypes.Extract;

    public async Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        if (request.Config["json_schema"] is not JsonObject schema)
            return BlockExecutionResult.Failed("The extract block needs 'json_schema' (an object).");
        if (SchemaValidation.Problem(schema) is { } problem)
            return BlockExecutionResult.Failed($"'json_schema' is not a valid JSON schema: {problem}");
        var (run, failure) = await model.AskAsync(BlockType, request, documentOnly: false, Prompt, schema, "extraction", cancellationToken).ConfigureAwait(false);
        if (run is null)
            return failure!;

        var replies = run.Replies;
        foreach (var reply in replies)
        {
            var violations = SchemaValidation.Violations(schema, reply.Json);
            if (violations.Count > 0)
                return ModelReplies.Unusable($"The model's answer does not match 'json_schema': {violations[0]}", reply.Raw, violations);
        }

        if (replies.Length == 1)
            return new BlockExecutionResult(new Dictionary<string, JsonNode?> { [OutputHandle] = replies[0].Json });
        var vote = ConsensusVote.Vote(replies.Select(r => r.Json).ToList());
        return new BlockExecutionResult(new Dictionary<string, JsonNode?> { [OutputHandle] = vote.Value })
        {
            Consensus = new JsonObject { ["likelihoods"] = vote.Likelihoods },
        };
    }
}

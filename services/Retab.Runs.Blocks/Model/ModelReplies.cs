using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Retab.Runs.Core.Execution;
using Retab.Runs.Models;

namespace Retab.Runs.Blocks.Model;

/// <summary>Asks the model N times at once (one call without consensus) and reports an answer that is not usable.</summary>
internal static class ModelReplies
{
    public static async Task<StructuredReply[]> AskAsync(IChatClient chat, ModelBlockSettings settings, List<ChatMessage> messages, JsonObject schema, string schemaName, CancellationToken cancellationToken)
    {
        // The calls are independent votes; the resilience handler's concurrency limit keeps the burst within bounds.
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calls = Enumerable.Range(0, settings.Consensus).Select(async _ =>
        {
            try
            {
                return await chat.AskAsync(messages, schema, schemaName, settings.Model, failFast.Token).ConfigureAwait(false);
            }
            catch when (!cancellationToken.IsCancellationRequested)
            {
                // One vote that cannot be had decides the block's fate: stop waiting on the others.
                await failFast.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // Rethrow the first real failure, not a cancellation it caused in another vote.
            var cause = calls.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException).FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
                ExceptionDispatchInfo.Throw(cause);
            throw;
        }
    }

    /// <summary>A block failure that shows the model's own text (bounded) and, when known, what was wrong with it.</summary>
    public static BlockExecutionResult Unusable(string message, string raw, IEnumerable<string>? problems = null)
    {
        var details = new JsonObject { ["raw_output"] = ModelText.Bounded(raw) };
        if (problems is not null)
            details["problems"] = new JsonArray(problems.Select(p => (JsonNode?)p).ToArray());
        return BlockExecutionResult.Failed(message, details);
    }

    public static BlockExecutionResult NotJson(StructuredReply reply) =>
        Unusable($"The model's answer is not JSON: {reply.ParseError}", reply.Raw);
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Retab.Runs.Core.Execution;
using Retab.Runs.Models;

namespace Retab.Runs.Blocks.Model;

/// <summary>The answers of one model-backed block (one per vote), all JSON, with the input they were asked about.</summary>
internal sealed record ModelBlockRun(BlockInput Input, StructuredReply[] Replies);

/// <summary>
/// The steps every model-backed block shares: read the common settings and the input, ask the model (N times with
/// consensus) under the block's schema, and turn a missing input or an answer that is not JSON into the block's failure.
/// </summary>
internal sealed class ModelBlockRunner(IChatClient chat, BlockInputs inputs)
{
    /// <returns>The run, or the failure to report instead.</returns>
    public async Task<(ModelBlockRun? Run, BlockExecutionResult? Failure)> AskAsync(
        string blockType, BlockRequest request, bool documentOnly, string task, JsonObject schema, string schemaName, CancellationToken cancellationToken)
    {
        var (settings, settingsError) = ModelBlockSettings.Read(request.Config);
        if (settings is null)
            return (null, BlockExecutionResult.Failed(settingsError!));
        var (input, inputError) = await inputs.ReadAsync(blockType, request, documentOnly, cancellationToken).ConfigureAwait(false);
        if (input is null)
            return (null, BlockExecutionResult.Failed(inputError!));

        var replies = await ModelReplies.AskAsync(chat, settings, ModelPrompt.Messages(task, settings.Instructions, input), schema, schemaName, cancellationToken).ConfigureAwait(false);
        var notJson = replies.FirstOrDefault(r => !r.IsJson);
        return notJson is null ? (new ModelBlockRun(input, replies), null) : (null, ModelReplies.NotJson(notJson));
    }
}

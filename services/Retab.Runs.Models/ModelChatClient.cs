using Microsoft.Extensions.AI;

namespace Retab.Runs.Models;

/// <summary>
/// The <see cref="IChatClient"/> blocks and assertions use: <see cref="ChatOptions.ModelId"/> picks the model,
/// resolved by <see cref="ModelNames"/> (the OpenAI adapter sends whatever it is given, including Retab's aliases),
/// and a model that stays unavailable surfaces as <see cref="Core.Execution.ModelUnavailableException"/>.
/// </summary>
internal sealed class ModelChatClient(IChatClient inner, string defaultModel) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = options?.Clone() ?? new ChatOptions();
        resolved.ModelId = ModelNames.Resolve(options?.ModelId, defaultModel);
        return ModelFailures.CallAsync(() => base.GetResponseAsync(messages, resolved, cancellationToken), resolved.ModelId, cancellationToken);
    }

    /// <summary>Blocks need the whole answer to validate it; streaming is not offered.</summary>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The model client answers whole responses only.");
}

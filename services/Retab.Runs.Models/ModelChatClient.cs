using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Retab.Runs.Models;

/// <summary>
/// The <see cref="IChatClient"/> blocks and assertions use: <see cref="ChatOptions.ModelId"/> picks the model
/// (resolved by <see cref="ModelNames"/>), and a model that stays unavailable surfaces as
/// <see cref="Core.Execution.ModelUnavailableException"/>. One OpenAI chat client per model name, all on one
/// resilient HTTP client, because the OpenAI SDK binds a chat client to its model.
/// </summary>
internal sealed class ModelChatClient(OpenAIClient openAi, string defaultModel) : IChatClient
{
    private readonly ConcurrentDictionary<string, IChatClient> _byModel = new(StringComparer.Ordinal);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = ModelNames.Resolve(options?.ModelId, defaultModel);
        var client = _byModel.GetOrAdd(model, name => openAi.GetChatClient(name).AsIChatClient());
        return ModelFailures.CallAsync(() => client.GetResponseAsync(messages, options, cancellationToken), model, cancellationToken);
    }

    /// <summary>Blocks need the whole answer to validate it; streaming is not offered.</summary>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The model client answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        foreach (var client in _byModel.Values)
            client.Dispose();
    }
}

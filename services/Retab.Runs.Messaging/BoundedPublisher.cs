using MassTransit;
using Microsoft.Extensions.Options;

namespace Retab.Runs.Messaging;

/// <summary>
/// Every publish of this service goes through here and gives up after <see cref="BusOptions.PublishTimeout"/>. A publish
/// that started on a channel the broker dropped can wait forever inside the transport (MassTransit issue #5692); its
/// caller — a consumer, the dispatcher, the gateway — must not, or the receive endpoint never finishes stopping and
/// never reconnects. The abandoned publish may still complete later: every message this service publishes is safe to
/// receive twice.
/// </summary>
public sealed class BoundedPublisher(IOptions<BusOptions> options)
{
    private TimeSpan Timeout => options.Value.PublishTimeout;

    public Task Publish<T>(IPublishEndpoint endpoint, T message, CancellationToken cancellationToken)
        where T : class =>
        WithinAsync(typeof(T).Name, token => endpoint.Publish(message, token), cancellationToken);

    /// <summary>Publishes with a given message id, so that repeated announcements of one fact can be told apart from new ones.</summary>
    public Task Publish<T>(IPublishEndpoint endpoint, T message, Guid messageId, CancellationToken cancellationToken)
        where T : class =>
        WithinAsync(typeof(T).Name, token => endpoint.Publish(message, context => context.MessageId = messageId, token), cancellationToken);

    public Task PublishBatch<T>(IPublishEndpoint endpoint, IEnumerable<T> messages, CancellationToken cancellationToken)
        where T : class =>
        WithinAsync(typeof(T).Name, token => endpoint.PublishBatch(messages, token), cancellationToken);

    /// <summary>Answers a request (the response goes to the requester's own queue).</summary>
    public Task Respond<T>(ConsumeContext context, T response)
        where T : class =>
        WithinAsync(typeof(T).Name, token => context.RespondAsync(response), context.CancellationToken);

    private async Task WithinAsync(string what, Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        var timeout = Timeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // WaitAsync as well as the token: the transport does not observe the token everywhere.
            await publish(limit.Token).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Publishing {what} did not complete within {timeout} (setting Bus:PublishTimeout): the broker connection is probably gone.");
        }
    }
}

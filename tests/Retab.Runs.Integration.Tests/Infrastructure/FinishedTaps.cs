namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// Every finished test a worker reported, whether alone (<c>WorkflowTestFinished</c>) or in a batch
/// (<c>WorkflowTestsFinished</c>): one tap on each exchange, read as one list of results.
/// </summary>
public sealed class FinishedTaps : IAsyncDisposable
{
    private FinishedTaps(MessageTap single, MessageTap batched)
    {
        Single = single;
        Batched = batched;
    }

    public MessageTap Single { get; }
    public MessageTap Batched { get; }

    public static async Task<FinishedTaps> StartAsync(Uri amqpUri, bool duplicateEach = false) => new(
        await MessageTap.StartAsync(amqpUri, "Retab.Runs.Contracts:WorkflowTestFinished", duplicateEach),
        await MessageTap.StartAsync(amqpUri, "Retab.Runs.Contracts:WorkflowTestsFinished", duplicateEach));

    /// <summary>Each reported result once per message that carried it (copies and redeliveries of a message count once).</summary>
    public IReadOnlyList<JsonNode> Results =>
    [
        .. Single.Heard.DistinctBy(m => m.MessageId).Select(m => m.Message),
        .. Batched.Heard.DistinctBy(m => m.MessageId).SelectMany(m => m.Message["results"]!.AsArray()).Select(r => r!),
    ];

    public async ValueTask DisposeAsync()
    {
        await Single.DisposeAsync();
        await Batched.DisposeAsync();
    }
}

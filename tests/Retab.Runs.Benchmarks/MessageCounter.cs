using System.Collections.Concurrent;
using MassTransit;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// Counts the bus messages the services publish, send and consume, by message type, from MassTransit's own
/// observers connected to each host's bus: the "messages per test" of the throughput ratio is counted, not assumed.
/// </summary>
public sealed class MessageCounter : IPublishObserver, ISendObserver, IConsumeObserver
{
    private readonly ConcurrentDictionary<string, long> _published = new();
    private readonly ConcurrentDictionary<string, long> _sent = new();
    private readonly ConcurrentDictionary<string, long> _consumed = new();
    private readonly ConcurrentDictionary<string, long> _faults = new();

    public void ConnectTo(IBus bus)
    {
        bus.ConnectPublishObserver(this);
        bus.ConnectSendObserver(this);
        bus.ConnectConsumeObserver(this);
    }

    public void Reset()
    {
        _published.Clear();
        _sent.Clear();
        _consumed.Clear();
        _faults.Clear();
    }

    public MessageCounts Snapshot() => new(Copy(_published), Copy(_sent), Copy(_consumed), Copy(_faults));

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Count(_published, typeof(T));

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Count(_faults, typeof(T), "publish fault ");

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Count(_sent, typeof(T));

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Count(_faults, typeof(T), "send fault ");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Count(_consumed, typeof(T));

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Count(_faults, typeof(T), "consume fault ");

    public static string NameOf(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(NameOf))}>" : type.Name;

    private static Task Count(ConcurrentDictionary<string, long> counts, Type type, string prefix = "")
    {
        counts.AddOrUpdate(prefix + NameOf(type), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    private static SortedDictionary<string, long> Copy(ConcurrentDictionary<string, long> counts) => new(counts, StringComparer.Ordinal);
}

public sealed record MessageCounts(
    SortedDictionary<string, long> Published,
    SortedDictionary<string, long> Sent,
    SortedDictionary<string, long> Consumed,
    SortedDictionary<string, long> Faults)
{
    /// <summary>The messages whose number grows with the number of tests: an execution each, and the workers' start and result reports (fewer than one each: see FinishedReports and StartReport).</summary>
    public static readonly string[] PerTestTypes = ["ExecuteWorkflowTest", "WorkflowTestStarted", "WorkflowTestFinished", "WorkflowTestsFinished"];

    public long PublishedOf(string type) => Published.GetValueOrDefault(type) + Sent.GetValueOrDefault(type);

    public long ConsumedOf(string type) => Consumed.GetValueOrDefault(type);

    /// <summary>Bus messages (published or sent) of the per-test types.</summary>
    public long PerTestMessages => PerTestTypes.Sum(PublishedOf);

    /// <summary>Everything put on the bus, per-run messages included.</summary>
    public long AllMessages => Published.Values.Sum() + Sent.Values.Sum();
}

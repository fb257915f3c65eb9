using System.Collections.Concurrent;
using MassTransit;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// Every message the bus published, repeats included, in order. The harness's <c>Published</c> keeps one message per
/// message id, and every announcement of one fact about a run carries the same id by design (<see cref="RunAnnouncer"/>),
/// so only this log can tell an announcement made once from one made twice.
/// </summary>
internal sealed class PublishedLog : IPublishObserver
{
    private readonly ConcurrentQueue<(object Message, Guid? MessageId)> _published = new();

    public int Count => _published.Count;

    public IReadOnlyList<(T Message, Guid? MessageId)> Of<T>() where T : class =>
        _published.Where(p => p.Message is T).Select(p => ((T)p.Message, p.MessageId)).ToList();

    /// <summary>The types published, in order, of the messages <paramref name="matches"/> selects.</summary>
    public IReadOnlyList<Type> Sequence(Func<object, bool> matches) =>
        _published.Where(p => matches(p.Message)).Select(p => p.Message.GetType()).ToList();

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        _published.Enqueue((context.Message, context.MessageId));
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

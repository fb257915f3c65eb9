using System.Collections.Concurrent;

namespace Retab.Runs.Cli.Tests;

/// <summary>Passes every request on to the real handler and notes its path and query, to tell which routes a command used.</summary>
public sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public ConcurrentQueue<string> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri!.PathAndQuery}");
        return base.SendAsync(request, cancellationToken);
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port), inside the test: it records every request (headers and body as they
/// came) and answers with the status <see cref="Answer"/> gives for the request's number (0 first), or never, for
/// <see cref="NeverAnswer"/>. Disposing stops it.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>An answer that never comes: the request waits until the sender gives up on it.</summary>
    public const int NeverAnswer = -1;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/hooks</c>.</summary>
    public string Url { get; private set; } = "";

    public Func<int, int> Answer { get; set; } = _ => StatusCodes.Status200OK;

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hooks";
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The receiver got {_received.Count} of {count} requests.");
            await Task.Delay(20);
        }
        return Received;
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var number = Interlocked.Increment(ref _count) - 1;
        var status = Answer(number);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedWebhook(http.Request.Method, http.Request.Path + http.Request.QueryString, headers, body, status, DateTimeOffset.UtcNow));
        if (status == NeverAnswer)
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        http.Response.StatusCode = status == NeverAnswer ? StatusCodes.Status200OK : status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith, DateTimeOffset At)
{
    /// <summary>The request as it came over the wire (method, path, headers, body), for a report.</summary>
    public string Describe() =>
        $"{Method} {Path}\n{string.Join("\n", Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {h.Value}"))}\n\n{Body}";
}

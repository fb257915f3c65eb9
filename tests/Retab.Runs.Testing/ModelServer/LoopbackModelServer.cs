using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Retab.Runs.Testing.ModelServer;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (a free port) for tests and benchmarks: <c>POST /v1/chat/completions</c>
/// answers from <see cref="Enqueue"/>d answers first, then from <see cref="Chat"/>; <c>POST /v1/embeddings</c> from
/// <see cref="Embed"/>. A chat request without <c>response_format: json_schema</c> gets 400, so the client under test
/// must ask for structured output. It counts requests and the most it saw in flight at once. Disposing stops it.
/// </summary>
public sealed class LoopbackModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ModelAnswer> _queued = new();
    private readonly ConcurrentQueue<ChatRequestSeen> _chatRequests = new();
    private readonly ConcurrentQueue<DateTimeOffset> _aborted = new();
    private int _inFlight;
    private int _chatInFlight;
    private int _maxInFlight;
    private int _embeddingRequests;

    private LoopbackModelServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/v1</c>: what <c>Models:BaseUrl</c> is set to.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The answer to a chat request when none is queued.</summary>
    public Func<ChatRequestSeen, ModelAnswer> Chat { get; set; } = _ => ModelAnswer.Text("{}");

    /// <summary>The vector of one input text (default: letter counts, so equal texts score 1 and unrelated ones less).</summary>
    public Func<string, float[]> Embed { get; set; } = LetterCounts;

    public IReadOnlyList<ChatRequestSeen> ChatRequests => _chatRequests.ToArray();

    /// <summary>Chat requests received, including ones answered with an error.</summary>
    public int ChatRequestCount => _chatRequests.Count;

    public int EmbeddingRequestCount => Volatile.Read(ref _embeddingRequests);

    /// <summary>The most chat and embedding requests that were being answered at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Chat requests being answered right now, waiting out their answer's delay included.</summary>
    public int ChatInFlight => Volatile.Read(ref _chatInFlight);

    /// <summary>When each request whose client went away during its answer's delay was aborted (Kestrel's <c>RequestAborted</c>).</summary>
    public IReadOnlyList<DateTimeOffset> AbortedAt => _aborted.ToArray();

    public static async Task<LoopbackModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackModelServer(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>Answers for the next chat requests, in order, before <see cref="Chat"/> is asked.</summary>
    public void Enqueue(params ModelAnswer[] answers)
    {
        foreach (var answer in answers)
            _queued.Enqueue(answer);
    }

    private async Task ChatAsync(HttpContext context)
    {
        using var _ = Track();
        Interlocked.Increment(ref _chatInFlight);
        try
        {
            await AnswerChatAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _chatInFlight);
        }
    }

    private async Task AnswerChatAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var seen = new ChatRequestSeen(body);
        _chatRequests.Enqueue(seen);
        if (body["response_format"]?["type"]?.GetValue<string>() != "json_schema" || seen.Schema is null)
        {
            await WriteAsync(context, 400, Error("response_format must be json_schema with a schema"));
            return;
        }

        var answer = _queued.TryDequeue(out var next) ? next : Chat(seen);
        if (!await DelayAsync(answer, context))
            return;
        if (await WroteFailureAsync(context, answer))
            return;
        await WriteAsync(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("n"),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = seen.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer.Content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
        });
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        using var _ = Track();
        Interlocked.Increment(ref _embeddingRequests);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(i => i?.GetValue<string>() ?? "").ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => new List<string>(),
        };
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(Embed(inputs[i]).Select(v => (JsonNode)v).ToArray()) });
        await WriteAsync(context, 200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.DeepClone(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 },
        });
    }

    /// <returns>false when the client went away during the delay.</returns>
    private async Task<bool> DelayAsync(ModelAnswer answer, HttpContext context)
    {
        if (answer.Delay <= TimeSpan.Zero)
            return true;
        try
        {
            await Task.Delay(answer.Delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            _aborted.Enqueue(DateTimeOffset.UtcNow);
            return false;
        }
    }

    private static async Task<bool> WroteFailureAsync(HttpContext context, ModelAnswer answer)
    {
        if (answer.RawBody is { } raw)
        {
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(raw);
            return true;
        }
        if (answer.Status == 200)
            return false;
        if (answer.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteAsync(context, answer.Status, Error($"stub answered {answer.Status}"));
        return true;
    }

    private static JsonObject Error(string message) => new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "stub_error" } };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private InFlight Track()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        return new InFlight(this);
    }

    private readonly struct InFlight(LoopbackModelServer server) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref server._inFlight);
    }

    private static float[] LetterCounts(string text)
    {
        var vector = new float[26];
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z')
                vector[c - 'a']++;
        }
        return vector;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}

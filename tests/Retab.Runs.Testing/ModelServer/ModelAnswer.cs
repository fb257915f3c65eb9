using System.Text.Json;

namespace Retab.Runs.Testing.ModelServer;

/// <summary>What the loopback model server answers to one request: after <see cref="Delay"/>, a status and a body.</summary>
public sealed record ModelAnswer
{
    /// <summary>The assistant message's content (chat), used when <see cref="Status"/> is 200 and <see cref="RawBody"/> is null.</summary>
    public string Content { get; init; } = "{}";

    public int Status { get; init; } = 200;

    public TimeSpan Delay { get; init; }

    /// <summary>Sent as the <c>Retry-After</c> header, in whole seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Sent as the body instead of an OpenAI-shaped one (e.g. something that is not JSON at all).</summary>
    public string? RawBody { get; init; }

    public static ModelAnswer Text(string content) => new() { Content = content };

    public static ModelAnswer Json(object value) => new() { Content = JsonSerializer.Serialize(value) };

    public static ModelAnswer TooManyRequests(int retryAfterSeconds) => new() { Status = 429, RetryAfterSeconds = retryAfterSeconds };

    public static ModelAnswer ServerError(int status = 500) => new() { Status = status };

    public static ModelAnswer MalformedBody() => new() { RawBody = "{\"choices\": [ this is not json" };

    public ModelAnswer After(TimeSpan delay) => this with { Delay = delay };
}

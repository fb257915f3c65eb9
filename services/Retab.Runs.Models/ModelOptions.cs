using Microsoft.Extensions.Configuration;

namespace Retab.Runs.Models;

/// <summary>
/// Section <c>Models</c>: the OpenAI-compatible endpoint the model-backed blocks and assertions call. Only workers
/// read it (they hold the key). Without <see cref="BaseUrl"/> no model client exists and those blocks stay blocked.
/// </summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>The environment form, named in messages that tell an operator what to set.</summary>
    public const string BaseUrlVariable = "Models__BaseUrl";

    /// <summary>e.g. <c>https://api.openai.com/v1</c>; requests go to <c>{BaseUrl}/chat/completions</c> and <c>{BaseUrl}/embeddings</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent as a bearer token; local servers (Ollama, vLLM) need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The chat model used when a block names none, or names Retab's <c>retab-small</c> / <c>retab-large</c>.</summary>
    public string Default { get; set; } = "gpt-4o-mini";

    /// <summary>The embedding model of <c>similarity_gte</c> with <c>method: embeddings</c>.</summary>
    public string Embeddings { get; set; } = "text-embedding-3-small";

    /// <summary>Model calls in flight at once from one worker; more wait their turn.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Limit of one try of one call; a try that takes longer is retried like a 5xx.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first try of a call that got 429, 5xx, a timeout or no connection.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff; each retry doubles it, with jitter. A <c>Retry-After</c> header wins over it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);

    public static ModelOptions Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ModelOptions>() ?? new ModelOptions();
}

using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Models;

public static class ModelsServiceCollectionExtensions
{
    internal const string HttpClientName = "retab-runs-models";

    /// <summary>
    /// With <c>Models:BaseUrl</c> set: <see cref="IChatClient"/>, <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>
    /// and <see cref="IAssertionModel"/> over that OpenAI-compatible endpoint. Without it, nothing: callers test for
    /// <see cref="IChatClient"/> and report what to set. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddModels(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ModelOptions.Section);
        var options = ModelOptions.Read(configuration);
        if (!options.IsConfigured || services.Any(d => d.ServiceType == typeof(ModelsRegistered)))
            return services;
        services.AddSingleton<ModelsRegistered>();
        services.AddOptions<ModelOptions>().Bind(section);

        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan) // the pipeline times each try
            // The OpenAI client below lives as long as the process; a pooled connection lifetime keeps DNS fresh.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("models", (pipeline, context) => ModelResilience.Configure(pipeline, options, context.ServiceProvider.GetRequiredService<RunsMetrics>()));
        services.AddMetrics();
        services.TryAddSingleton<RunsMetrics>();

        services.AddSingleton(sp => CreateOpenAiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<IOptions<ModelOptions>>().Value));
        services.AddSingleton<IChatClient>(sp =>
        {
            var model = sp.GetRequiredService<IOptions<ModelOptions>>().Value.Default;
            return new ModelChatClient(ModelTelemetry.Observe(sp.GetRequiredService<OpenAIClient>().GetChatClient(model).AsIChatClient(), sp), model);
        });
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var model = sp.GetRequiredService<IOptions<ModelOptions>>().Value.Embeddings;
            return new ModelEmbeddingGenerator(ModelTelemetry.Observe(sp.GetRequiredService<OpenAIClient>().GetEmbeddingClient(model).AsIEmbeddingGenerator(), sp), model);
        });
        services.AddSingleton<IAssertionModel, ModelAssertionJudge>();
        return services;
    }

    private static OpenAIClient CreateOpenAiClient(HttpClient http, ModelOptions options) => new(
        // The SDK insists on a key; local servers ignore the placeholder.
        new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "unused" : options.ApiKey),
        new OpenAIClientOptions
        {
            Endpoint = new Uri(options.BaseUrl!.TrimEnd('/')),
            Transport = new HttpClientPipelineTransport(http),
            // Retries happen once, in the resilience handler, where Retry-After and the concurrency limit are seen.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        });

    /// <summary>Marks the collection so a second <see cref="AddModels"/> adds nothing.</summary>
    private sealed class ModelsRegistered;
}

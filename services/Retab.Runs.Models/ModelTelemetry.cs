using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Models;

/// <summary>
/// Model calls measured by Microsoft.Extensions.AI's own OpenTelemetry clients, on the <see cref="RunsDiagnostics.Name"/>
/// source and meter: a span per call, <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c> by
/// <c>gen_ai.request.model</c>. They wrap the OpenAI adapter inside <see cref="ModelChatClient"/>, so they see the model
/// the call resolved to. Prompts and answers are never recorded (<c>EnableSensitiveData</c> stays false): they carry
/// what users put in their tests.
/// </summary>
internal static class ModelTelemetry
{
    public const string RequestModelTag = "gen_ai.request.model";

    public static IChatClient Observe(IChatClient client, IServiceProvider services) =>
        new ChatClientBuilder(client)
            .UseOpenTelemetry(services.GetService<ILoggerFactory>(), RunsDiagnostics.Name, telemetry => telemetry.EnableSensitiveData = false)
            .Build(services);

    public static IEmbeddingGenerator<string, Embedding<float>> Observe(IEmbeddingGenerator<string, Embedding<float>> generator, IServiceProvider services) =>
        new EmbeddingGeneratorBuilder<string, Embedding<float>>(generator)
            .UseOpenTelemetry(services.GetService<ILoggerFactory>(), RunsDiagnostics.Name, telemetry => telemetry.EnableSensitiveData = false)
            .Build(services);
}

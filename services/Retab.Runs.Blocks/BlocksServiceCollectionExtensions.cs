using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retab.Runs.Blocks.Model;
using Retab.Runs.Core.Documents;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Models;

namespace Retab.Runs.Blocks;

public static class BlocksServiceCollectionExtensions
{
    /// <summary>
    /// Registers the block executors a worker serves: function blocks always; extract, classifier and split when
    /// <c>Models:BaseUrl</c> names a model endpoint (else those types report the setting to set).
    /// </summary>
    public static IServiceCollection AddBlockExecutors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FunctionBlockLimits>().Bind(configuration.GetSection(FunctionBlockLimits.Section));
        services.AddSingleton<IBlockExecutor, FunctionBlockExecutor>();

        string[] modelBlocks = [BlockTypes.Extract, BlockTypes.Classifier, BlockTypes.Split];
        if (!ModelOptions.Read(configuration).IsConfigured)
        {
            foreach (var type in modelBlocks)
                services.AddSingleton(new UnavailableBlockType(type,
                    $"no model endpoint is configured; set {ModelOptions.BaseUrlVariable} (Models:BaseUrl) to an OpenAI-compatible endpoint, e.g. https://api.openai.com/v1."));
            return services;
        }

        services.AddModels(configuration);
        // The document source comes from whoever wires file access; without one, file inputs fail with a clear message.
        services.AddSingleton(sp => new ModelBlockRunner(sp.GetRequiredService<IChatClient>(), new BlockInputs(sp.GetService<IDocumentSource>())));
        services.AddSingleton<IBlockExecutor, ExtractBlockExecutor>();
        services.AddSingleton<IBlockExecutor, ClassifierBlockExecutor>();
        services.AddSingleton<IBlockExecutor, SplitBlockExecutor>();
        return services;
    }
}

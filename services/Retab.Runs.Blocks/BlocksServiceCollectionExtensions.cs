using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks;

public static class BlocksServiceCollectionExtensions
{
    /// <summary>Registers the block executors a worker serves.</summary>
    public static IServiceCollection AddBlockExecutors(this IServiceCollection services)
    {
        services.AddOptions<FunctionBlockLimits>().BindConfiguration(FunctionBlockLimits.Section);
        services.AddSingleton<IBlockExecutor, FunctionBlockExecutor>();
        return services;
    }
}

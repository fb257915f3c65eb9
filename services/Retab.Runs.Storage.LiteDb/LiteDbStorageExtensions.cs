using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

public static class LiteDbStorageExtensions
{
    /// <summary>Registers every store interface on one LiteDB file (<c>Storage:LiteDb:Path</c>).</summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiteDbOptions>().Bind(configuration.GetSection(LiteDbOptions.Section));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LiteDbOptions>>().Value;
            return new LiteDbContext(options.Path, options.Shared);
        });
        services.AddSingleton<IWorkflowStore, LiteDbWorkflowStore>();
        services.AddSingleton<ITestStore, LiteDbTestStore>();
        services.AddSingleton<IRunStore, LiteDbRunStore>();
        services.AddSingleton<IApiKeyStore, LiteDbApiKeyStore>();
        services.AddSingleton<IIdempotencyStore, LiteDbIdempotencyStore>();
        services.AddSingleton<IFileStore, LiteDbFileStore>();
        services.AddSingleton<IWebhookStore, LiteDbWebhookStore>();
        return services;
    }
}

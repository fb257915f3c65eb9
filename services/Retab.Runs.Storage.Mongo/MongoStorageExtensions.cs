using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Mongo;

public static class MongoStorageExtensions
{
    /// <summary>
    /// Registers every store interface on one MongoDB database (<c>Storage:Mongo:ConnectionString</c>,
    /// <c>Storage:Mongo:Database</c>). Indexes are created on first use.
    /// </summary>
    public static IServiceCollection AddMongoStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MongoOptions>().Bind(configuration.GetSection(MongoOptions.Section));
        services.AddSingleton(sp => new MongoContext(sp.GetRequiredService<IOptions<MongoOptions>>().Value));
        services.AddSingleton<IWorkflowStore, MongoWorkflowStore>();
        services.AddSingleton<ITestStore, MongoTestStore>();
        services.AddSingleton<IRunStore, MongoRunStore>();
        services.AddSingleton<IApiKeyStore, MongoApiKeyStore>();
        services.AddSingleton<IIdempotencyStore, MongoIdempotencyStore>();
        services.AddSingleton<IFileStore, MongoFileStore>();
        services.AddSingleton<IWebhookStore, MongoWebhookStore>();
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Storage.LiteDb;
using Retab.Runs.Storage.Mongo;

namespace Retab.Runs.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ProviderKey = "Storage:Provider";
    public const string LiteDb = "litedb";
    public const string MongoDb = "mongodb";

    /// <summary>
    /// Registers every store interface on the provider named by <c>Storage:Provider</c>: <c>litedb</c> (the default,
    /// one embedded file, <c>Storage:LiteDb:*</c>) or <c>mongodb</c> (production, <c>Storage:Mongo:*</c>).
    /// </summary>
    public static IServiceCollection AddRunStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[ProviderKey];
        return string.IsNullOrWhiteSpace(provider) || provider.Trim().Equals(LiteDb, StringComparison.OrdinalIgnoreCase)
            ? services.AddLiteDbStorage(configuration)
            : provider.Trim().ToLowerInvariant() is MongoDb or "mongo"
                ? services.AddMongoStorage(configuration)
                : throw new InvalidOperationException($"Unknown {ProviderKey} '{provider}': use '{LiteDb}' or '{MongoDb}'.");
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary><c>AddMongoStorage</c> and the <c>Storage:Provider</c> switch of <c>AddRunStorage</c> (no server is contacted).</summary>
public class StorageRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> add)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        add(services, configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddMongoStorage_registers_every_store_on_the_configured_database()
    {
        using var provider = Build(new()
        {
            ["Storage:Mongo:ConnectionString"] = "mongodb://db.example:27017/?replicaSet=rs0",
            ["Storage:Mongo:Database"] = "runs_prod",
        }, (s, c) => s.AddMongoStorage(c));

        Assert.IsType<MongoWorkflowStore>(provider.GetRequiredService<IWorkflowStore>());
        Assert.IsType<MongoTestStore>(provider.GetRequiredService<ITestStore>());
        Assert.IsType<MongoRunStore>(provider.GetRequiredService<IRunStore>());
        Assert.IsType<MongoApiKeyStore>(provider.GetRequiredService<IApiKeyStore>());
        Assert.IsType<MongoIdempotencyStore>(provider.GetRequiredService<IIdempotencyStore>());
        var context = provider.GetRequiredService<MongoContext>();
        Assert.Equal("runs_prod", context.Database.DatabaseNamespace.DatabaseName);
        Assert.Equal(MongoSchema.Runs, context.Runs.CollectionNamespace.CollectionName);
        Assert.Equal(TimeSpan.FromHours(48), context.Options.IdempotencyRetention);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("1.00:00:00")]
    [InlineData("2.00:00:00")]
    public void An_idempotency_retention_of_zero_or_of_at_least_24_hours_is_accepted(string retention)
    {
        using var provider = Build(new() { ["Storage:Mongo:IdempotencyRetention"] = retention }, (s, c) => s.AddMongoStorage(c));

        Assert.Equal(TimeSpan.Parse(retention), provider.GetRequiredService<MongoContext>().Options.IdempotencyRetention);
    }

    [Fact]
    public void An_idempotency_retention_under_24_hours_fails_the_start_since_records_bind_their_key_that_long()
    {
        using var provider = Build(new() { ["Storage:Mongo:IdempotencyRetention"] = "12:00:00" }, (s, c) => s.AddMongoStorage(c));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<MongoContext>());
        Assert.Contains("Storage:Mongo:IdempotencyRetention must be at least 1.00:00:00", error.Message);
    }

    [Theory]
    [InlineData(null, typeof(LiteDbRunStore))]
    [InlineData("litedb", typeof(LiteDbRunStore))]
    [InlineData("LiteDB", typeof(LiteDbRunStore))]
    [InlineData("mongodb", typeof(MongoRunStore))]
    [InlineData("MongoDB", typeof(MongoRunStore))]
    public void The_provider_is_chosen_by_configuration_and_defaults_to_the_embedded_store(string? provider, Type expected)
    {
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-provider-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var services = Build(new()
            {
                ["Storage:Provider"] = provider,
                ["Storage:LiteDb:Path"] = Path.Combine(folder, "runs.db"),
            }, (s, c) => s.AddRunStorage(c));

            Assert.IsType(expected, services.GetRequiredService<IRunStore>());
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_provider_is_refused_at_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Storage:Provider"] = "postgres" }, (s, c) => s.AddRunStorage(c)));
        Assert.Contains("Storage:Provider", error.Message);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Blocks;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Documents;
using Retab.Runs.Core.Execution;
using Retab.Runs.Testing.ModelServer;

namespace Retab.Runs.Models.Tests;

/// <summary>
/// A worker's execution wiring (AddModels + AddBlockExecutors, as AddRunWorker composes them) from in-memory settings
/// pointing at a loopback model server, with small retry delays so retry tests stay quick.
/// </summary>
public sealed class ModelHarness : IAsyncDisposable
{
    public const string Organization = "org_test";

    private ModelHarness(LoopbackModelServer server, ServiceProvider services, InMemoryDocuments documents)
    {
        Server = server;
        Services = services;
        Documents = documents;
    }

    public LoopbackModelServer Server { get; }
    public ServiceProvider Services { get; }
    public InMemoryDocuments Documents { get; }

    public TestExecution Execution => Services.GetRequiredService<TestExecution>();

    public static async Task<ModelHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await LoopbackModelServer.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Models:BaseUrl"] = server.BaseUrl,
            ["Models:Default"] = "stub-default",
            ["Models:Embeddings"] = "stub-embeddings",
            ["Models:RetryBaseDelay"] = "00:00:00.020",
            ["Models:MaxRetries"] = "2",
            ["Models:Timeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var documents = new InMemoryDocuments();
        return new ModelHarness(server, BuildServices(values, documents), documents);
    }

    /// <summary>The same wiring with whatever settings are given (e.g. none at all).</summary>
    public static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings, IDocumentSource? documents = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (documents is not null)
            services.AddSingleton(documents);
        services.AddModels(configuration);
        services.AddBlockExecutors(configuration);
        services.TryAddSingleton(sp => new AssertionEngine(sp.GetService<IAssertionModel>()));
        services.AddSingleton<TestExecution>();
        return services.BuildServiceProvider();
    }

    public Task<TestExecutionOutcome> RunAsync(string blockType, string config, string inputs, string assertion, CancellationToken cancellationToken = default) =>
        Execution.RunAsync(blockType, Request(config, inputs), Assertion(assertion), cancellationToken);

    public static BlockRequest Request(string config, string inputs) =>
        new(Organization, (JsonObject)JsonNode.Parse(J(config))!, (JsonObject)JsonNode.Parse(J(inputs))!);

    /// <summary><c>{target: {output_handle_id, path?}, condition}</c> in relaxed JSON.</summary>
    public static Assertion Assertion(string json)
    {
        var node = (JsonObject)JsonNode.Parse(J(json))!;
        var target = node["target"]!;
        return new Assertion("assert_test",
            new AssertionTarget(target["output_handle_id"]!.GetValue<string>(), target["path"]?.GetValue<string>()),
            (JsonObject)node["condition"]!.DeepClone(), null);
    }

    /// <summary>JSON written with single quotes for readable tests.</summary>
    public static string J(string relaxed) => relaxed.Replace('\'', '"');

    public static string FileInput(string fileId) => $"{{'input-file-document': {{'type': 'file', 'document': {{'id': '{fileId}', 'filename': '{fileId}.pdf', 'mime_type': 'application/pdf'}}}}}}";

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}

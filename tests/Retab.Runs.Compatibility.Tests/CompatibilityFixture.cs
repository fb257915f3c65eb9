using Retab.Runs.Compatibility.Tests.Checking;
using Retab.Runs.Compatibility.Tests.Payloads;
using Retab.Runs.Compatibility.Tests.Scenarios;

namespace Retab.Runs.Compatibility.Tests;

/// <summary>
/// Runs every scenario once against live hosts and keeps what they answered. The scenarios use separate hosts, so
/// they run side by side; each disposes its host when done, the payloads outlive them.
/// </summary>
public sealed class CompatibilityFixture : IAsyncLifetime
{
    public PayloadCatalog Catalog { get; } = new();

    public RetabSchemas Schemas { get; } = RetabSchemas.Load();

    public async Task InitializeAsync() => await Task.WhenAll(
        FunctionRunScenario.RunAsync(Catalog),
        CancelScenario.RunAsync(Catalog),
        DocumentScenario.RunAsync(Catalog),
        WorkerlessScenario.RunAsync(Catalog));

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class CompatibilityCollection : ICollectionFixture<CompatibilityFixture>
{
    public const string Name = "live responses";
}

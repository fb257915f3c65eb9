using System.Collections.Concurrent;
using System.Diagnostics;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// Each workload is created once through the gateway's API, into a database file of its own; every scenario then
/// starts its services on a copy of that file. Creating 2,000 tests takes longer than most faults do, and the scenarios
/// differ in what they break, not in what they run. The gateway is hosted here for it, on the file alone (exclusive
/// mode, in-memory bus: it only stores). The files are deleted when the collection ends.
/// </summary>
public sealed class SeededWorkloads : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<(string DatabaseFile, Workload Workload)>>> _seeded = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-integration", "seeds-" + Guid.NewGuid().ToString("n"));

    /// <summary>The database file holding <paramref name="recipe"/>'s workload (created the first time it is asked for) and the workload.</summary>
    public Task<(string DatabaseFile, Workload Workload)> GetAsync(WorkloadRecipe recipe, ITestOutputHelper output) =>
        _seeded.GetOrAdd(recipe.Name, _ => new Lazy<Task<(string, Workload)>>(() => SeedAsync(recipe, output))).Value;

    private async Task<(string, Workload)> SeedAsync(WorkloadRecipe recipe, ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        var file = Path.Combine(_folder, recipe.Name, "retab-runs.db");
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = BusOptions.InMemory,
            ["Storage:LiteDb:Path"] = file,
            ["Auth:ApiKeys:0:Key"] = RunsStack.ApiKey,
            ["Auth:ApiKeys:0:OrganizationId"] = RunsStack.OrganizationId,
            ["Limits:RequestsPerSecondPerKey"] = "0",
        }, output);
        using var http = gateway.Client(RunsStack.ApiKey);
        var workload = await recipe.Create(new Api(http));
        output.WriteLine($"seeded '{recipe.Name}' through the API in {clock.Elapsed.TotalSeconds:0.0} s");
        return (file, workload);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

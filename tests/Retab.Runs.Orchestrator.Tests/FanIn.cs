using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// The fan-in as the orchestrator wires it — <see cref="ResultFolding"/>, <see cref="RunSaga"/>,
/// <see cref="RunDispatcher"/> — on a LiteDB file of its own, publishing on MassTransit's in-memory test harness. The
/// writer starts only when asked, so everything submitted before goes into one batch, as under load.
/// </summary>
internal sealed class FanIn : IAsyncDisposable
{
    public const string WorkerId = "third-party-worker";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-fan-in-tests", Guid.NewGuid().ToString("n"));
    private readonly LiteDbContext _db;
    private readonly ServiceProvider _services;
    private readonly ITestHarness _harness;
    private readonly ResultFolding _folding;
    private readonly List<Task> _submissions = [];
    private bool _writerStarted;

    private FanIn()
    {
        _db = new LiteDbContext(Path.Combine(_folder, "runs.db"));
        Store = new RecordingRunStore(new LiteDbRunStore(_db));
        // The orchestrator as AddRunOrchestrator wires it, on this store and the harness's bus. The harness starts every
        // hosted service, so the orchestrator's are taken out: the writer starts when a test asks, nothing else runs.
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IRunStore>(Store)
            .AddSingleton<IWorkflowStore>(new LiteDbWorkflowStore(_db))
            .AddSingleton<ITestStore>(new LiteDbTestStore(_db))
            .AddRunOrchestrator(new ConfigurationBuilder().Build());
        services.RemoveAll<IHostedService>();
        _services = services.AddMassTransitTestHarness().BuildServiceProvider(validateScopes: true);
        _harness = _services.GetRequiredService<ITestHarness>();
        _folding = _services.GetRequiredService<ResultFolding>();
    }

    public RecordingRunStore Store { get; }

    public static async Task<FanIn> OpenAsync()
    {
        var fanIn = new FanIn();
        await fanIn._harness.Start();
        return fanIn;
    }

    /// <summary>A queued run of <paramref name="testCount"/> function tests of <paramref name="organizationId"/>.</summary>
    public async Task<(TestRun Run, IReadOnlyList<TestResult> Slots)> QueueRunAsync(string organizationId, int testCount)
    {
        var workflow = TestWorkflows.Workflow(organizationId, T0);
        var tests = TestWorkflows.Tests(workflow, testCount, T0);
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, T0), organizationId, plan, RunScopeSpec.WholeWorkflow, RunDocuments.CustomTrigger, T0);
        await Store.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, TimeSpan.FromMinutes(2)).ToList();
        var queued = await Store.QueuePlannedRunAsync(run.Id, slots, T0) ?? throw new InvalidOperationException($"run {run.Id} was not queued");
        return (queued, slots);
    }

    /// <summary>What a worker publishes for a passed test: its output <c>{value: …}</c>, <paramref name="value"/> or the test id.</summary>
    public static SlotFinished Passed(TestResult slot, JsonNode? value = null) => new(
        slot.RunId, slot.Id, T0.AddSeconds(2), SlotStatus.Completed, Verdict.Passed, T0.AddSeconds(1),
        new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = new JsonObject { ["value"] = value ?? slot.TestId } } },
        new AssertionResult { AssertionId = slot.Assertion.Id, ConditionKind = slot.Assertion.Kind, Outcome = AssertionOutcome.Passed, ActualValue = value ?? slot.TestId },
        [], null, WorkerId, EngineInfo.Version);

    /// <summary>Hands the events to the fan-in as one consumed message would; the returned task ends when its write does.</summary>
    public Task Submit(params SlotEvent[] events)
    {
        var written = _folding.ApplyAsync(events, _harness.Bus, CancellationToken.None);
        _submissions.Add(written);
        return written;
    }

    public Task StartWriterAsync()
    {
        _writerStarted = true;
        return _folding.StartAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<TestResult>> SlotsAsync(TestRun run) =>
        (await Store.ListResultsAsync(run.OrganizationId, new ResultQuery(run.Id), new PageRequest(PageRequest.MaxLimit, Order: SortOrder.Asc))).Data;

    public async Task<TestRun> RunAsync(TestRun run) =>
        await Store.GetRunAsync(run.OrganizationId, run.Id) ?? throw new InvalidOperationException($"run {run.Id} is gone");

    public async ValueTask DisposeAsync()
    {
        // Started if a test failed before it did: the writer's stop settles every submission still waiting, so none is
        // left running against a closed file.
        if (!_writerStarted)
            await StartWriterAsync();
        await _folding.StopAsync(CancellationToken.None);
        await Task.WhenAll(_submissions).ContinueWith(_ => { }, TaskScheduler.Default);
        _folding.Dispose();
        await _harness.Stop();
        await _services.DisposeAsync();
        _db.Dispose();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Messaging;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// The orchestrator as <c>AddRunOrchestrator</c> wires it, its consumers on MassTransit's in-memory test harness, on a
/// LiteDB file of its own, with a fake clock (<see cref="Time"/>), a settable broker backlog (<see cref="Backlog"/>) and
/// announcements that fail on demand (<see cref="PublishFailures"/>).
/// The dispatcher and the fan-in run as in production; the sweeper's timer does not (unless asked): a test sweeps when
/// it says so (<see cref="SweepAsync"/>), at the time it set. Nothing here waits on the wall clock except for messages
/// in flight, and for <see cref="SettledAsync"/>'s short silence.
/// </summary>
internal sealed class SagaHarness : IAsyncDisposable
{
    public const string Org = "org_saga";
    public const string WorkerId = "worker-1";

    /// <summary>Tests of one organization out at workers at once (<see cref="OrchestratorOptions.MaxTestsInFlightPerOrganization"/>).</summary>
    public const int Window = 4;

    public const int MaxAttempts = 3;
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes the harness's lists answer with what they hold now instead of waiting for more.</summary>
    private static readonly CancellationToken AsTheyAre = new(canceled: true);

    /// <summary>How long something due at once may take before the test fails; a passing test never waits this long.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>How long the bus stays silent before a test may conclude that something did not happen.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(150);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-saga-tests", Guid.NewGuid().ToString("n"));
    private readonly LiteDbContext _db;
    private readonly LiteDbWorkflowStore _workflows;
    private readonly LiteDbTestStore _tests;
    private readonly ServiceProvider _services;
    private readonly ITestHarness _harness;
    private readonly RunSweeper _sweeper;

    private SagaHarness(bool sweeperTimer)
    {
        _db = new LiteDbContext(Path.Combine(_folder, "runs.db"));
        _workflows = new LiteDbWorkflowStore(_db);
        _tests = new LiteDbTestStore(_db);
        Store = new RecordingRunStore(new LiteDbRunStore(_db));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IExecutionBacklog>(Backlog)
            .AddSingleton<IRunStore>(Store)
            .AddSingleton<IWorkflowStore>(_workflows)
            .AddSingleton<ITestStore>(_tests)
            .AddRunOrchestrator(new ConfigurationBuilder().Build())
            .Configure<OrchestratorOptions>(options =>
            {
                options.ExecutionDeadline = Deadline;
                options.MaxAttempts = MaxAttempts;
                options.SweepInterval = SweepInterval;
                options.MaxTestsInFlightPerOrganization = Window;
            });
        // The harness starts every hosted service; the sweeper's timer would sweep whenever a test moves the clock.
        if (!sweeperTimer)
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(RunSweeper)));
        _services = services.AddMassTransitTestHarness(bus =>
        {
            bus.AddRunOrchestratorConsumers();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.ConfigureJsonSerializerOptions(BusJson.AcceptInternalDepth);
                cfg.ConfigurePublish(publish =>
                {
                    publish.AddPipeSpecification(new DelegatePipeSpecification<PublishContext<TestRunStarted>>(PublishFailures.ThrowIfDue));
                    publish.AddPipeSpecification(new DelegatePipeSpecification<PublishContext<TestRunCancelled>>(PublishFailures.ThrowIfDue));
                    publish.AddPipeSpecification(new DelegatePipeSpecification<PublishContext<TestRunCompleted>>(PublishFailures.ThrowIfDue));
                });
                cfg.ConfigureEndpoints(context);
            });
        }).BuildServiceProvider(validateScopes: true);
        _harness = _services.GetRequiredService<ITestHarness>();
        _sweeper = ActivatorUtilities.CreateInstance<RunSweeper>(_services);
        _harness.Bus.ConnectPublishObserver(Published);
    }

    public FakeTimeProvider Time { get; } = new(T0);

    public SettableExecutionBacklog Backlog { get; } = new();

    public RecordingRunStore Store { get; }

    /// <summary>Announcements to fail on purpose (the bus asks it before publishing any of them).</summary>
    public PublishFailures PublishFailures { get; } = new();

    /// <summary>Every publish, repeats included (see <see cref="PublishedLog"/>).</summary>
    public PublishedLog Published { get; } = new();

    public RunDispatcher Dispatcher => _services.GetRequiredService<RunDispatcher>();

    public DateTimeOffset Now => Clock.Now(Time);

    public static async Task<SagaHarness> StartAsync(bool sweeperTimer = false)
    {
        var saga = new SagaHarness(sweeperTimer);
        await saga._harness.Start();
        // The dispatcher takes up the active runs it finds at start: once it has looked, it cannot take up a run a test stores.
        await Until(() => saga.Store.AttentionQueries > 0, "the dispatcher to look for active runs at start");
        return saga;
    }

    // ---- arrange --------------------------------------------------------------------------------------------------

    /// <summary>A workflow with <paramref name="tests"/> saved tests of <paramref name="block"/> (by default its first block; its second has none).</summary>
    public async Task<Workflow> SaveWorkflowAsync(int tests, string block = TestWorkflows.TestedBlock)
    {
        var workflow = TestWorkflows.Workflow(Org, Now);
        await _workflows.InsertAsync(workflow);
        foreach (var test in TestWorkflows.Tests(workflow, tests, Now, block))
            await _tests.InsertAsync(test);
        return workflow;
    }

    /// <summary>Saves <paramref name="tests"/> more tests of the workflow's tested block (after a run of it was counted, say).</summary>
    public async Task AddTestsAsync(Workflow workflow, int tests)
    {
        foreach (var test in TestWorkflows.Tests(workflow, tests, Now.AddSeconds(1)))
            await _tests.InsertAsync(test);
    }

    public IWorkflowStore Workflows => _workflows;

    public ITestStore Tests => _tests;

    public Task DeleteWorkflowAsync(Workflow workflow) => _workflows.DeleteAsync(workflow.OrganizationId, workflow.Id);

    /// <summary>A run as the gateway stores it before it publishes the run's CreateTestRun: planned, pending, triggered by the API.</summary>
    public async Task<TestRun> StoreRunAsync(Workflow workflow)
    {
        var run = RunDocuments.Pending(NewRunId(), Org, await PlanAsync(workflow), RunScopeSpec.WholeWorkflow, RunDocuments.ApiTrigger, Now);
        await Store.InsertRunAsync(run);
        return run;
    }

    /// <summary>A run queued by an orchestrator that stopped before it sent a test: its slots are stored, no dispatcher sends it.</summary>
    public async Task<TestRun> StoreQueuedRunAsync(Workflow workflow)
    {
        var run = await StoreRunAsync(workflow);
        return await Store.QueuePlannedRunAsync(run.Id, await PlannedSlotsAsync(run), Now) ?? throw new InvalidOperationException($"run {run.Id} was not queued");
    }

    /// <summary>The slots the orchestrator will create for a pending run (their ids derive from run and test).</summary>
    public async Task<IReadOnlyList<TestResult>> PlannedSlotsAsync(TestRun run) =>
        ResultSlots.Create(run, await PlanAsync((await _workflows.GetAsync(run.OrganizationId, run.WorkflowId))!), Now, Deadline).ToList();

    /// <summary>A run through the gateway and its CreateTestRun, and the tests sent for it (as many as the window lets out).</summary>
    public async Task<(TestRun Run, IReadOnlyList<ExecuteWorkflowTest> Sent)> CreateRunAsync(int tests)
    {
        var run = await StoreRunAsync(await SaveWorkflowAsync(tests));
        await DeliverAsync(RunCommands.Create(run));
        return (run, await ExecutionsAsync(run.Id, Math.Min(tests, Window)));
    }

    /// <summary>
    /// Writes counts that disagree with the slots, as a store whose counts are a cache (DESIGN §5 rule 2) can be left by a
    /// crash between a slot write and its count change. LiteDB writes both in one transaction, so the test does it.
    /// </summary>
    public void SkewCounts(string runId, RunCounts counts) => _db.Write(() =>
    {
        var document = _db.Runs.FindById(runId);
        document["body"] = JsonSerializer.Serialize(LiteDbContext.FromDocument<TestRun>(document) with { Counts = counts }, LiteDbContext.BodyJson);
        return _db.Runs.Update(document);
    });

    public static string NewRunId() => ResourceIds.New(ResourceIds.Run, T0);

    /// <summary>A CreateTestRun as a third party publishes it straight onto the bus, for a run no one stored.</summary>
    public static CreateTestRun FromBus(string workflowId, RunScope? scope = null, RunTrigger? trigger = null) =>
        new() { RunId = NewRunId(), OrganizationId = Org, WorkflowId = workflowId, Scope = scope, Trigger = trigger, RequestedAt = T0 };

    // ---- act ------------------------------------------------------------------------------------------------------

    /// <summary>Publishes the messages together and waits until each was consumed; a consumer's fault fails the test.</summary>
    public async Task DeliverAsync(params object[] messages)
    {
        var ids = messages.Select(_ => NewId.NextGuid()).ToList();
        await Task.WhenAll(messages.Zip(ids, (message, id) => _harness.Bus.Publish(message, context => context.MessageId = id)));
        foreach (var (message, id) in messages.Zip(ids))
        {
            IReceivedMessage? consumed = null;
            await Until(() => (consumed = _harness.Consumed.Select(m => m.Context.MessageId == id, AsTheyAre).FirstOrDefault()) is not null,
                $"{message.GetType().Name} to be consumed");
            if (consumed!.Exception is { } fault)
                throw new InvalidOperationException($"The consumer of {message.GetType().Name} failed", fault);
        }
    }

    public WorkflowTestStarted Started(ExecuteWorkflowTest execution) => Started(execution.RunId, execution.TestId, execution.ResultId);

    public WorkflowTestStarted Started(TestResult slot) => Started(slot.RunId, slot.TestId, slot.Id);

    /// <summary>What a worker publishes for a test it ran: <c>completed</c> with <paramref name="verdict"/>.</summary>
    public WorkflowTestFinished Finished(ExecuteWorkflowTest execution, string verdict = "passed") =>
        Finished(execution.RunId, execution.TestId, execution.ResultId) with { Verdict = verdict };

    public WorkflowTestFinished Finished(TestResult slot) => Finished(slot.RunId, slot.TestId, slot.Id) with { Verdict = "passed" };

    /// <summary>What a worker publishes for a test the infrastructure could not run: <c>error</c> with <paramref name="code"/>.</summary>
    public WorkflowTestFinished FailedToRun(ExecuteWorkflowTest execution, string code) =>
        Finished(execution.RunId, execution.TestId, execution.ResultId) with { Lifecycle = "error", Error = new ExecutionError(code, $"{code} in a test") };

    public Task SweepAsync() => _sweeper.SweepOnceAsync(CancellationToken.None);

    /// <summary>Moves the clock past the time the caller that made a move has to announce it (two bounded publishes).</summary>
    public void AdvancePastAnnouncementGrace() => Time.Advance(new BusOptions().PublishTimeout * 2 + TimeSpan.FromSeconds(1));

    /// <summary>Moves the clock past the execution deadline of everything sent or moved until now.</summary>
    public void AdvancePastDeadline() => Time.Advance(Deadline + TimeSpan.FromSeconds(1));

    // ---- observe --------------------------------------------------------------------------------------------------

    /// <summary>The tests sent to workers for the run so far, in the order they were published.</summary>
    public IReadOnlyList<ExecuteWorkflowTest> Executions(string runId) =>
        _harness.Published.Select<ExecuteWorkflowTest>(AsTheyAre).Select(m => m.Context.Message).Where(m => m.RunId == runId).ToList();

    /// <summary>Waits until at least <paramref name="count"/> tests of the run were sent; returns every one sent.</summary>
    public async Task<IReadOnlyList<ExecuteWorkflowTest>> ExecutionsAsync(string runId, int count)
    {
        await Until(() => Executions(runId).Count >= count, $"{count} tests of {runId} to be sent");
        return Executions(runId);
    }

    /// <summary>The run's CreateTestRun commands published by the orchestrator itself (the sweeper's).</summary>
    public IReadOnlyList<CreateTestRun> CreateCommands(string runId) =>
        _harness.Published.Select<CreateTestRun>(AsTheyAre).Select(m => m.Context.Message).Where(m => m.RunId == runId).ToList();

    public IReadOnlyList<(TestRunStarted Message, Guid? MessageId)> Starts(string runId) =>
        Published.Of<TestRunStarted>().Where(p => p.Message.RunId == runId).ToList();

    public IReadOnlyList<(TestRunCancelled Message, Guid? MessageId)> Cancellations(string runId) =>
        Published.Of<TestRunCancelled>().Where(p => p.Message.RunId == runId).ToList();

    public IReadOnlyList<(TestRunCompleted Message, Guid? MessageId)> Completions(string runId) =>
        Published.Of<TestRunCompleted>().Where(p => p.Message.RunId == runId).ToList();

    /// <summary>What was announced about the run, in order, repeats included.</summary>
    public IReadOnlyList<Type> Announcements(string runId) => Published.Sequence(message => message switch
    {
        TestRunStarted started => started.RunId == runId,
        TestRunCancelled cancelled => cancelled.RunId == runId,
        TestRunCompleted completed => completed.RunId == runId,
        _ => false,
    });

    public async Task<TestRun> RunAsync(string runId) =>
        await Store.GetRunAsync(Org, runId) ?? throw new InvalidOperationException($"run {runId} does not exist");

    public async Task<IReadOnlyList<TestResult>> SlotsAsync(string runId) =>
        (await Store.ListResultsAsync(Org, new ResultQuery(runId), new PageRequest(PageRequest.MaxLimit, Order: SortOrder.Asc))).Data;

    /// <summary>Waits until nothing was published or consumed for a short while: what a test then finds missing did not happen.</summary>
    public async Task SettledAsync()
    {
        var clock = Stopwatch.StartNew();
        var (seen, quietSince) = (Activity(), TimeSpan.Zero);
        while (clock.Elapsed - quietSince < Silence)
        {
            if (clock.Elapsed > Patience)
                throw new TimeoutException($"The bus was still busy after {Patience.TotalSeconds} s");
            await Task.Delay(10);
            if (Activity() is var now && now != seen)
                (seen, quietSince) = (now, clock.Elapsed);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Patience"/>, naming what never happened.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        if (!await HoldsWithinAsync(condition, Patience))
            throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}");
    }

    /// <summary>Polls <paramref name="condition"/> for at most <paramref name="time"/>; whether it came to hold.</summary>
    public static async Task<bool> HoldsWithinAsync(Func<bool> condition, TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > time)
                return false;
            await Task.Delay(5);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private int Activity() => Published.Count + _harness.Consumed.Select(_ => true, AsTheyAre).Count();

    /// <summary>The run of every test of the workflow planned whole, in memory: what planning in chunks must match.</summary>
    public async Task<RunPlan> PlanAsync(Workflow workflow) =>
        RunPlanner.Plan(workflow, await _tests.ListAllAsync(workflow.OrganizationId, workflow.Id), RunScopeSpec.WholeWorkflow);

    private WorkflowTestStarted Started(string runId, string testId, string resultId) =>
        new() { RunId = runId, OrganizationId = Org, TestId = testId, ResultId = resultId, StartedAt = Now, WorkerId = WorkerId };

    private WorkflowTestFinished Finished(string runId, string testId, string resultId) => new()
    {
        RunId = runId,
        OrganizationId = Org,
        TestId = testId,
        ResultId = resultId,
        Lifecycle = "completed",
        StartedAt = Now,
        CompletedAt = Now,
        WorkerId = WorkerId,
        EngineVersion = EngineInfo.Version,
    };
}

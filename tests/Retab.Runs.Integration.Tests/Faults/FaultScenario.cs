using System.Diagnostics;
using System.Net;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;
using Xunit.Sdk;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// One fault scenario's world: the services as processes (<see cref="ProcessStack"/>), a client, and a durable tap on
/// <c>TestRunCompleted</c> started before anything runs. It watches the run over HTTP with a bound on every wait, and
/// ends with <see cref="AuditAsync"/>: one line of the fault table in the test output, then every problem found.
/// </summary>
public sealed class FaultScenario : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _midRunProblems = [];
    private string? _invariantBroken;

    private FaultScenario(ProcessStack stack, Workload workload, MessageTap completions, ITestOutputHelper output)
    {
        Stack = stack;
        Workload = workload;
        Completions = completions;
        Api = stack.Api();
        _output = output;
    }

    public ProcessStack Stack { get; }
    public Workload Workload { get; }
    public Api Api { get; }
    private MessageTap Completions { get; }

    /// <summary>Starts the services on a copy of <paramref name="recipe"/>'s seeded database, then the completion tap.</summary>
    public static async Task<FaultScenario> StartAsync(
        BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output, string purpose, StackSettings settings, WorkloadRecipe recipe)
    {
        var (databaseFile, workload) = await seeds.GetAsync(recipe, output);
        var stack = await ProcessStack.StartAsync(broker, output, purpose, settings, databaseFile);
        try
        {
            var completions = await MessageTap.StartAsync(stack.VirtualHost.AmqpUri, "Retab.Runs.Contracts:TestRunCompleted");
            output.WriteLine($"'{recipe.Name}' on {settings.WorkerIds.Count} worker(s) + orchestrator + gateway ({stack.GatewayAddress})");
            return new FaultScenario(stack, workload, completions, output);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public void Log(string line) => _output.WriteLine($"{Now} {line}");

    public async Task<string> StartRunAsync()
    {
        var runId = await Api.StartRunAsync(Workload.WorkflowId);
        Log($"run {runId} of {Workload.Total} tests created");
        return runId;
    }

    /// <summary>Waits until at least <paramref name="share"/> of the run's tests are finished.</summary>
    public Task<JsonNode> WaitForShareAsync(string runId, double share, TimeSpan timeout) =>
        WaitUntilAsync(runId, run => RunAudit.Finished(run) >= Workload.Total * share, timeout, $"{share:P0} of the tests to finish");

    /// <summary>Polls the run until <paramref name="condition"/> holds; a timeout says what never happened and where the run stood.</summary>
    public async Task<JsonNode> WaitUntilAsync(string runId, Func<JsonNode, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonNode? last = null;
        while (true)
        {
            var (status, run, text) = await Api.SendAsync(HttpMethod.Get, $"/v1/workflows/tests/runs/{runId}");
            if (status != HttpStatusCode.OK)
                throw new InvalidOperationException($"GET run {runId} answered {(int)status}: {text}");
            last = run!;
            CheckInvariants(last);
            if (condition(last))
                return last;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; the run is {RunAudit.Describe(last)}");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="bound"/>) for the run to be terminal; the time taken is measured from now, which the
    /// caller makes the moment of the fault (or of the broker coming back). Null when the bound passed.
    /// </summary>
    public async Task<(JsonNode? Terminal, TimeSpan Taken, JsonNode Last)> WaitForCompletionAsync(string runId, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        JsonNode last = null!;
        try
        {
            last = await WaitUntilAsync(runId, run =>
            {
                last = run;
                return RunInvariants.IsTerminal(run);
            }, bound, "the run to end");
            return (last, clock.Elapsed, last);
        }
        catch (TimeoutException)
        {
            return (null, clock.Elapsed, last);
        }
    }

    /// <summary>
    /// Waits until neither the execute queue nor the orchestrator's result queue holds a message (ready or unacked), so
    /// what is counted or read next includes every late execution and event; a queue that does not drain within a minute
    /// is a problem of the scenario. RabbitMQ refreshes these figures every few seconds; a queue it reports no figure for
    /// yet counts as busy.
    /// </summary>
    public async Task WaitForQueuesToDrainAsync()
    {
        try
        {
            await Eventually.WaitAsync(async () => await MessagesIn(EndpointNames.Execute) == 0 && await MessagesIn(EndpointNames.OrchestratorResults) == 0,
                TimeSpan.FromSeconds(60), "the queues to drain", TimeSpan.FromSeconds(1), throughHttpErrors: true);
        }
        catch (TimeoutException)
        {
            _midRunProblems.Add($"{EndpointNames.Execute} still holds {await MessagesIn(EndpointNames.Execute)} message(s) and " +
                                $"{EndpointNames.OrchestratorResults} {await MessagesIn(EndpointNames.OrchestratorResults)}, a minute after the run ended");
        }
    }

    private async Task<int?> MessagesIn(string queue) => (await Stack.VirtualHost.GetQueueAsync(queue))?["messages"]?.GetValue<int>();

    /// <summary>
    /// The common checks (<see cref="RunAudit"/>), plus what the scenario <paramref name="observed"/> on the way and its own
    /// <paramref name="rowChecks"/> on the result rows; prints the fault table line, then fails with every problem found.
    /// <paramref name="since"/> names what the completion time counts from.
    /// </summary>
    public async Task AuditAsync(
        string runId, (JsonNode? Terminal, TimeSpan Taken, JsonNode Last) completion, ExpectedRun expected, string fault, string since,
        IEnumerable<string>? observed = null, Func<IReadOnlyList<JsonNode>, IEnumerable<string>>? rowChecks = null)
    {
        var (terminal, taken, last) = completion;
        RunAudit audit;
        if (terminal is null)
        {
            audit = new RunAudit();
            audit.Add($"the run was not terminal {taken.TotalSeconds:0} s after {since}: {RunAudit.Describe(last)}");
        }
        else
        {
            await WaitForAnnouncementAsync(runId);
            var rows = await Api.AllResultsAsync(runId);
            audit = RunAudit.Of(terminal, rows, Completions.Heard, expected);
            audit.CheckUnchanged(terminal, await Api.GetAsync($"/v1/workflows/tests/runs/{runId}"));
            foreach (var problem in rowChecks?.Invoke(rows) ?? [])
                audit.Add(problem);
            LogWorkers(rows);
        }
        foreach (var problem in _midRunProblems.Concat(_invariantBroken is null ? [] : [_invariantBroken]).Concat(observed ?? []))
            audit.Add(problem);

        var exact = terminal is not null && audit.CountsExact;
        var timing = terminal is null ? $"not terminal after {taken.TotalSeconds:0.0} s" : $"{taken.TotalSeconds:0.0} s";
        _output.WriteLine($"FAULT TABLE | {fault} | {timing} from {since} to completion | counts exact: {(exact ? "yes" : "no")} | " +
                          $"{(terminal is null ? RunAudit.Describe(last) : RunAudit.Describe(terminal))}");
        var problems = audit.Problems.ToList();
        Assert.True(problems.Count == 0, $"{fault}: {problems.Count} problem(s):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}");
    }

    /// <summary>Gives the announcement a moment to arrive; its absence is one of the problems the audit reports.</summary>
    private async Task WaitForAnnouncementAsync(string runId)
    {
        try
        {
            await Completions.WaitForAsync(m => m.RunId == runId, TimeSpan.FromSeconds(30), $"TestRunCompleted of {runId}");
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Results per worker id, for the test output.</summary>
    private void LogWorkers(IReadOnlyList<JsonNode> rows) =>
        Log("results per worker: " + string.Join(", ", rows.GroupBy(r => r["worker_id"]?.GetValue<string>() ?? "(none)").OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}")));

    /// <summary>The count invariants must hold on every read, mid-fault too; a break is recorded (the first one) rather than ending the scenario.</summary>
    private void CheckInvariants(JsonNode run)
    {
        try
        {
            RunInvariants.Check(run);
        }
        catch (XunitException broken)
        {
            _invariantBroken ??= $"count invariants broken on a read during the run: {broken.Message}";
        }
    }

    private string Now => $"[{_clock.Elapsed.TotalSeconds,6:0.0} s]";

    public async ValueTask DisposeAsync()
    {
        await Completions.DisposeAsync();
        await Stack.DisposeAsync();
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Reports;
using Spectre.Console;

namespace Retab.Runs.Cli.Watching;

/// <summary>
/// <c>--wait</c> and <c>runs watch</c>: follow a run to its end, then report it (summary and failures, or JSON; JUnit on
/// request) and return the exit code it earns. Ctrl+C while following cancels the run with
/// <c>--cancel-on-interrupt</c>, asks in a terminal, and otherwise stops waiting (exit 2, the run goes on).
/// </summary>
public sealed class RunWatcher(RetabRunsClient client, CliContext context)
{
    public async Task<int> WatchAsync(JsonObject run, WatchOptions options)
    {
        var runId = run.Str("id") ?? throw new CliException("The service answered a run without an id.");
        var follower = new RunFollower(client, context, runId, RunProgress.From(run));
        var mode = options.Json ? DisplayMode.None
            : context.Console.Profile.Capabilities.Interactive ? DisplayMode.Live
            : DisplayMode.Lines;
        if (mode == DisplayMode.Lines)
            context.Out.WriteLine($"Following run {runId} ({follower.Progress.Total} tests).");

        JsonObject final;
        var listening = context.Interrupt.Listen();
        try
        {
            final = await follower.FollowAsync(mode, context.Interrupt.Token);
        }
        catch (OperationCanceledException) when (context.Interrupt.Token.IsCancellationRequested)
        {
            // From here a second Ctrl+C ends the process: nobody is stuck behind a question or a cancellation.
            listening.Dispose();
            if (!ShouldCancel(runId, options, mode))
            {
                context.Error($"Stopped waiting; run {runId} goes on. Follow it again with: retab-runs runs watch {runId}");
                return ExitCodes.RunIncomplete;
            }
            await CancelAsync(runId);
            final = await follower.FollowAsync(mode, CancellationToken.None);
        }
        finally
        {
            listening.Dispose();
        }

        var results = await AllResultsAsync(runId, follower, final);
        var names = options.Json && options.JUnitPath is null ? [] : await TestNamesAsync(final, results);
        var rows = results.Select(result => ResultRow.From(result, names))
            .OrderBy(row => row.BlockId, StringComparer.Ordinal).ThenBy(row => row.TestName, StringComparer.Ordinal).ToList();

        if (options.Json)
            context.Out.WriteLine(new JsonObject { ["run"] = final.DeepClone(), ["results"] = new JsonArray(results.Select(r => (JsonNode)r.DeepClone()).ToArray()) }
                .ToJsonString(Json.Indented));
        else
            RunReport.Write(context.Console, final, rows);
        if (options.JUnitPath is { } path)
        {
            JUnitReport.Write(path, final, rows);
            if (!options.Json)
                context.Out.WriteLine($"JUnit report: {path}");
        }
        return RunOutcome.ExitCode(final);
    }

    private bool ShouldCancel(string runId, WatchOptions options, DisplayMode mode)
    {
        if (options.CancelOnInterrupt)
            return true;
        if (mode == DisplayMode.None || !context.Console.Profile.Capabilities.Interactive)
            return false;
        return context.Console.Confirm($"Cancel run {runId}?", defaultValue: false);
    }

    private async Task CancelAsync(string runId)
    {
        context.Error($"Cancelling run {runId}…");
        try
        {
            await client.PostAsync($"v1/workflows/tests/runs/{Uri.EscapeDataString(runId)}/cancel",
                new JsonObject { ["reason"] = "interrupted from retab-runs" }, CancellationToken.None);
        }
        catch (ApiException error) when (error.Status == HttpStatusCode.Conflict)
        {
            // It ended in the meantime: following it shows how.
        }
    }

    /// <summary>The stream sends every result before the final event; a service without the stream (or a gap) is completed from the list.</summary>
    private async Task<List<JsonObject>> AllResultsAsync(string runId, RunFollower follower, JsonObject final)
    {
        var results = follower.Results;
        if (results.Count < RunProgress.From(final).Total)
            foreach (var result in await client.ListAllAsync("v1/workflows/tests/results", new Dictionary<string, string?> { ["run_id"] = runId }, null, CancellationToken.None))
                if (result.Str("id") is { } id)
                    results[id] = result;
        return results.Values.ToList();
    }

    /// <summary>Results name their test by id; the reports show names. A deleted test keeps its id.</summary>
    private async Task<Dictionary<string, string>> TestNamesAsync(JsonObject run, List<JsonObject> results)
    {
        if (run.Str("workflow_id") is not { } workflowId || results.Count == 0)
            return [];
        var tests = await client.ListAllAsync("v1/workflows/tests", new Dictionary<string, string?> { ["workflow_id"] = workflowId }, null, CancellationToken.None);
        return tests.Where(test => test.Str("id") is not null && test.Str("name") is { Length: > 0 })
            .ToDictionary(test => test.Str("id")!, test => test.Str("name")!);
    }
}

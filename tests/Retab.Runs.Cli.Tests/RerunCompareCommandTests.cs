using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Cli.Tests;

/// <summary><c>runs rerun</c> runs again what failed and waits for it; <c>runs compare</c> shows what changed since the previous run.</summary>
[Collection(CliHostCollection.Name)]
public sealed class RerunCompareCommandTests(CliHost cli)
{
    [Fact]
    public async Task Rerun_runs_the_failed_tests_again_and_compare_shows_the_changes()
    {
        // Totals 120 (passes: 100 + 20) and 999 (fails).
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 999);
        var firstId = await cli.Api.StartRunAsync(workflowId);
        await cli.Api.WaitForTerminalAsync(firstId);

        var rerun = await cli.RunAsync("runs", "rerun", firstId, "--json");
        Assert.Equal(0, rerun.ExitCode);
        var rerunJson = JsonNode.Parse(rerun.Output)!;
        Assert.Equal(firstId, rerunJson["rerun_of"]!.GetValue<string>());
        Assert.Equal(1, rerunJson["total_tests"]!.GetValue<int>());
        var rerunId = rerunJson["id"]!.GetValue<string>();
        await cli.Api.WaitForTerminalAsync(rerunId);
        Assert.Contains($"rerun of {firstId} (failed)", (await cli.RunAsync("runs", "get", rerunId)).Output);

        var waited = await cli.RunAsync("runs", "rerun", firstId, "--only", "all", "--wait");
        Assert.NotEqual(0, waited.ExitCode); // the failing test still fails

        var secondId = await cli.Api.StartRunAsync(workflowId);
        await cli.Api.WaitForTerminalAsync(secondId);
        var compared = await cli.RunAsync("runs", "compare", secondId, "--json");
        Assert.Equal(0, compared.ExitCode);
        var comparison = JsonNode.Parse(compared.Output)!;
        Assert.Equal(firstId, comparison["baseline_run_id"]!.GetValue<string>());
        Assert.Equal(2, comparison["data"]!.AsArray().Count);
        Assert.Equal(1, comparison["summary"]!["still_passing"]!.GetValue<int>());
        Assert.Equal(1, comparison["summary"]!["still_failing"]!.GetValue<int>());

        var table = await cli.RunAsync("runs", "compare", secondId, "--change", "still_failing");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("still_failing", table.Output);
        Assert.DoesNotContain("still_passing", table.Output); // the summary line says "still passing"
        Assert.Contains($"baseline {firstId}", table.Output);

        var unknown = await cli.RunAsync("runs", "compare", "wftestrun_missing");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("run_not_found", unknown.Output);
    }
}

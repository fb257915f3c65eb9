using System.Text.RegularExpressions;
using Retab.Runs.Acceptance.Tests;
using Retab.Runs.Testing;

namespace Retab.Runs.Cli.Tests;

/// <summary>The built tool itself, <c>dotnet retab-runs.dll</c>, against the standalone host as a real OS process.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("retab-runs-cli-process-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Runs_create_wait_in_a_real_process_prints_the_summary_and_failure_table_and_exits_1()
    {
        await using var host = StandaloneProcess.Start(Path.Combine(_folder, "data"), new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
        });
        using var http = await host.ClientAsync(StandaloneHost.KeyA);
        var api = new ApiClient(http);
        var workflowId = await Workflows.WithTotalTestsAsync(api, 120, 999);

        await using var cli = DotnetProcess.Start(typeof(CliApp).Assembly.Location, ["runs", "create", "--workflow", workflowId, "--wait"],
            new Dictionary<string, string>
            {
                ["RETAB_RUNS_BASE_URL"] = http.BaseAddress!.ToString(),
                ["RETAB_RUNS_API_KEY"] = StandaloneHost.KeyA,
                ["XDG_CONFIG_HOME"] = _folder,
                ["HOME"] = _folder,
            }, "retab-runs");

        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)), cli.Tail());
        Assert.Equal(1, cli.ExitCode);
        var output = cli.Tail();
        Assert.True(output.Contains("Following run wftestrun_"), output);
        Assert.True(Regex.IsMatch(output, @"\[\d\d:\d\d\] completed 2/2  passed 1  failed 1"), output);
        Assert.True(Regex.IsMatch(output, @"Run wftestrun_\S+ completed in [0-9.]+s: 2 tests, 1 passed, 1 failed, 0 blocked, 0 error, 0 cancelled"), output);
        Assert.True(Regex.IsMatch(output, @"│ total is 999 │ block_total │ failed\s+│ \S+\s+│ 999\s+│ 120\s+│"), output);
    }
}

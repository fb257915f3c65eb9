using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Gateway.Files;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The data folder holds every organization's data: one process at a time uses it, and nobody but the service's user
/// can read it. Real OS processes where a second process is the point.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DataFolderTests : IDisposable
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = PrivateFile | UnixFileMode.UserExecute;
    private const UnixFileMode Readable = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));

    private Dictionary<string, string> Keys => new()
    {
        ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
        ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
    };

    [Fact]
    public async Task A_second_process_on_the_data_folder_exits_at_once_naming_the_first_ones_pid_while_the_first_keeps_serving()
    {
        await using var first = StandaloneProcess.Start(_folder, Keys);
        var api = new ApiClient(await first.ClientAsync(StandaloneHost.KeyA));
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));

        var clock = Stopwatch.StartNew();
        await using var second = StandaloneProcess.Start(_folder, Keys);
        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"The second process still runs:\n{second.Output()}");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The second process took {clock.Elapsed} to give up.");
        Assert.NotEqual(0, second.ExitCode);
        var lockFile = Path.Combine(_folder, "retab-runs.db.lock");
        Assert.Equal(
            $"The data folder {_folder} is in use by process {first.ProcessId} (lock file {lockFile}); stop it or give this process another data folder.",
            second.Output().Trim());
        (await api.GetAsync($"/v1/workflows/{workflowId}")).ShouldBe(HttpStatusCode.OK);
        await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
    }

    [Fact]
    public async Task A_weak_configured_key_stops_the_process_with_one_line_naming_its_position_and_never_the_key()
    {
        const string weak = "password-password-password-passw";
        await using var process = StandaloneProcess.Start(_folder, new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Key"] = weak,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
        });

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"The process still runs:\n{process.Output()}");

        Assert.Equal(1, process.ExitCode);
        var output = process.Output().Trim();
        Assert.StartsWith("Auth:ApiKeys:0 (organization 'org_a') is too weak: ", output);
        Assert.DoesNotContain(Environment.NewLine, output);
        Assert.DoesNotContain(weak, output);
    }

    [Fact]
    public async Task A_data_folder_left_open_to_others_by_an_older_version_is_made_private_at_start()
    {
        Directory.CreateDirectory(_folder);
        using (var db = new LiteDbContext(Path.Combine(_folder, "retab-runs.db")))
            db.Workflows.Count();
        File.WriteAllText(Path.Combine(_folder, "api-key"), "rr_a_key_an_older_version_wrote_Zx81Kq\n");
        File.WriteAllText(Path.Combine(_folder, "files-signing-key"), Convert.ToBase64String(new byte[32]));
        File.SetUnixFileMode(_folder, PrivateFolder | Readable | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var file in new[] { "retab-runs.db", "api-key", "files-signing-key" })
            File.SetUnixFileMode(Path.Combine(_folder, file), PrivateFile | Readable);

        using var host = new StandaloneHost(_folder, withKeys: false);
        host.CreateClient();
        host.Services.GetRequiredService<UrlSigner>();

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_folder));
        Assert.All(Directory.GetFiles(_folder), file => Assert.True(PrivateFile == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}"));
        Assert.Contains(Path.Combine(_folder, "retab-runs-log.db"), Directory.GetFiles(_folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

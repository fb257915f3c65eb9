using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>What survives a restart, and the first-start API key.</summary>
public sealed class HostLifecycleTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Data_written_before_a_restart_is_readable_after_it()
    {
        string runId, workflowId;
        string runJson, resultsJson;
        using (var host = new StandaloneHost(_folder))
        {
            var api = host.Client();
            workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
            await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 7, ["$gt"] = "", ["a.b"] = new JsonObject { [""] = null } }, "v", Functions.Condition("equals", 7));
            runId = await api.StartRunAsync(workflowId);
            runJson = (await api.WaitForTerminalAsync(runId)).ToJsonString();
            resultsJson = new JsonArray((await api.AllResultsAsync(runId)).Select(r => r.DeepClone()).ToArray()).ToJsonString();
        }

        using (var restarted = new StandaloneHost(_folder))
        {
            var api = restarted.Client();
            var run = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
            Assert.Equal(runJson, run.ToJsonString());
            var results = new JsonArray((await api.AllResultsAsync(runId)).Select(r => r.DeepClone()).ToArray());
            Assert.Equal(resultsJson, results.ToJsonString());
            Assert.Contains("\"$gt\":\"\"", results.ToJsonString());
            (await api.GetAsync($"/v1/workflows/{workflowId}")).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task First_start_creates_a_private_default_key_and_later_starts_reuse_it()
    {
        string key;
        using (var host = new StandaloneHost(_folder, withKeys: false))
        {
            var api = new ApiClient(host.CreateClient());
            var keyFile = Path.Combine(_folder, "api-key");
            Assert.True(File.Exists(keyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            key = File.ReadAllText(keyFile).Trim();
            api.Http.DefaultRequestHeaders.Add("Api-Key", key);
            (await api.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
        }

        using (var restarted = new StandaloneHost(_folder, withKeys: false))
        {
            Assert.Equal(key, File.ReadAllText(Path.Combine(_folder, "api-key")).Trim());
            var api = new ApiClient(restarted.CreateClient());
            api.Http.DefaultRequestHeaders.Add("Api-Key", key);
            (await api.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

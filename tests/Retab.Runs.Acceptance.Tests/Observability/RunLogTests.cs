using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests.Observability;

/// <summary>
/// What the services log of a run, captured as a log exporter would receive it: the Information lines of its life with
/// ids and counts as properties, and nothing of what users put in their tests (inputs, code, expected values, what
/// their code threw) at Information or above. The first-start API key is never logged.
/// </summary>
public sealed class RunLogTests : IDisposable
{
    private const string InputPassword = "hunter2-Pw0rd-of-the-input";
    private const string InputKey = "sk-live-INPUT51ab7c9d0e2f4a6b";
    private const string CodeKey = "sk-live-CODE0a1b2c3d4e5f6789";
    private const string ThrownKey = "sk-live-THROWN9f8e7d6c5b4a";
    private const string ExpectedKey = "sk-live-EXPECTED7c6b5a4f3e2d";

    private const string LeakyFunction = $$"""
        function main(input) {
          var token = "{{CodeKey}}";
          if (input.explode) throw new Error("{{ThrownKey}} " + input.password);
          return { v: input.i, echoed: input.api_key, length: token.length };
        }
        """;

    private readonly CapturedLogs _logs = new();
    private StandaloneHost? _host;

    [Fact]
    public async Task A_run_with_secret_looking_inputs_logs_its_life_at_Information_and_none_of_the_secrets()
    {
        _host = new StandaloneHost();
        var api = Client(_host, StandaloneHost.KeyA);
        var workflowId = await api.CreateWorkflowAsync(("block_leaky", LeakyFunction));
        JsonObject Input(int i, bool explode = false) => new() { ["i"] = i, ["password"] = InputPassword, ["api_key"] = InputKey, ["explode"] = explode };
        await api.CreateTestAsync(workflowId, "block_leaky", Input(1), "v", Functions.Condition("equals", 1));
        await api.CreateTestAsync(workflowId, "block_leaky", Input(2), "echoed", Functions.Condition("equals", ExpectedKey));
        await api.CreateTestAsync(workflowId, "block_leaky", Input(3, explode: true), "v", Functions.Condition("equals", 3));

        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId);
        Assert.Equal("completed", RunInvariants.Status(run));
        var ended = await Find(() => _logs.Entries.SingleOrDefault(e => e.EventId.Id == 1003 && e.Properties["RunId"] == runId));

        var visible = _logs.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        foreach (var secret in new[] { InputPassword, InputKey, CodeKey, ThrownKey, ExpectedKey })
            Assert.DoesNotContain(visible, e => e.Everything.Contains(secret, StringComparison.Ordinal));

        Assert.Equal(LogLevel.Information, ended.Level);
        Assert.Equal(("completed", "3", "1", "1", "1", "0"),
            (ended.Properties["Status"], ended.Properties["TotalTests"], ended.Properties["Passed"], ended.Properties["Failed"], ended.Properties["Blocked"], ended.Properties["Errors"]));
        Assert.Contains("DurationMs", ended.Properties.Keys);
        var created = Assert.Single(visible, e => e.EventId.Id == 1000 && e.Properties["RunId"] == runId);
        Assert.Equal((workflowId, "org_a", "3", "api"),
            (created.Properties["WorkflowId"], created.Properties["OrganizationId"], created.Properties["TotalTests"], created.Properties["Trigger"]));
        Assert.Single(visible, e => e.EventId.Id == 1001 && e.Properties["RunId"] == runId && e.Level == LogLevel.Information);
        Assert.Single(visible, e => e.EventId.Id == 1002 && e.Properties["RunId"] == runId && e.Level == LogLevel.Information);
        Assert.Equal(runId, ended.Properties["RunId"]);
        Assert.Contains(runId, ended.Message);
    }

    [Fact]
    public async Task The_first_start_key_is_in_its_file_and_in_no_log_entry_which_names_the_file()
    {
        _host = new StandaloneHost(withKeys: false);
        var keyFile = Path.Combine(_host.DataFolder, "api-key");
        Client(_host, null);
        await Find(() => File.Exists(keyFile) && new FileInfo(keyFile).Length > 0 ? keyFile : null);
        var key = File.ReadAllText(keyFile).Trim();
        var created = await Find(() => _logs.Entries.SingleOrDefault(e => e.EventId.Id == 1300));

        Assert.DoesNotContain(_logs.Entries, e => e.Everything.Contains(key, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, created.Level);
        Assert.Equal(Path.GetFullPath(keyFile), created.Properties["KeyFile"]);
        // The key works: it is the one the file holds.
        var api = new ApiClient(_derived!.CreateClient());
        api.Http.DefaultRequestHeaders.Add("Api-Key", key);
        (await api.GetAsync("/v1/workflows")).ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>A client of the host with <see cref="_logs"/> among its log providers (the host starts on the first client).</summary>
    private ApiClient Client(StandaloneHost host, string? key)
    {
        var logged = host.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
        var http = logged.CreateClient();
        if (key is not null)
            http.DefaultRequestHeaders.Add("Api-Key", key);
        _derived = logged;
        return new ApiClient(http);
    }

    private WebApplicationFactory<Program>? _derived;

    public void Dispose()
    {
        _derived?.Dispose();
        _host?.Dispose();
    }

    private static Task<T> Find<T>(Func<T?> find) where T : class => Eventually.FindAsync(find, TimeSpan.FromSeconds(30), "the log entries");
}

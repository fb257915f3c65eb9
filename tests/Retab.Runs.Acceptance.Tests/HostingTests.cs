using System.Net;
using System.Net.Sockets;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>How the standalone process listens, as an operator starts it: the usual .NET address settings, and one line when it cannot.</summary>
public sealed class HostingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_the_address_and_no_key_is_created()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        // No configured key: a start that listened would create and print the first-start key.
        await using var process = StandaloneProcess.Start(_folder, urls: address);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"The process still runs:\n{process.Output()}");

        Assert.Equal(2, process.ExitCode);
        var output = process.Output();
        Assert.Contains($"Cannot listen on {address}: another process uses it.", output);
        Assert.Contains("--urls", output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("API key", output);
        Assert.False(File.Exists(Path.Combine(_folder, "api-key")), "a key was created by a start that never listened");
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("ASPNETCORE_HTTP_PORTS")]
    public async Task The_usual_dotnet_address_settings_are_honoured(string variable)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var value = variable == "ASPNETCORE_URLS" ? $"http://127.0.0.1:{port}" : port.ToString();
        await using var process = StandaloneProcess.Start(_folder, new Dictionary<string, string>
        {
            [variable] = value,
            ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
        }, urls: null);

        using var http = await process.ClientAsync(StandaloneHost.KeyA);
        Assert.Equal(port, http.BaseAddress!.Port);
        using var direct = new HttpClient();
        direct.DefaultRequestHeaders.Add("Api-Key", StandaloneHost.KeyA);
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync($"http://127.0.0.1:{port}/v1/workflows")).StatusCode);
    }
}

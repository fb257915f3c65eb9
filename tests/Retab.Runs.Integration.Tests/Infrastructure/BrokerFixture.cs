using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Retab.Runs.Integration.Tests.Faults;
using Retab.Runs.Testing;
using Testcontainers.RabbitMq;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// Every test class of this assembly shares one broker (and runs one at a time, see AssemblyInfo.cs); the fault
/// scenarios also share their seeded workloads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>, ICollectionFixture<SeededWorkloads>
{
    public const string Name = "RabbitMQ broker";
}

/// <summary>
/// The broker the tests run against: a Testcontainers RabbitMQ when a Docker engine answers (checked in at most
/// 2 s), else the broker named by <c>RETAB_RUNS_RABBITMQ_URI</c>. With neither, <see cref="SkipReason"/> says why
/// and every test skips itself with it. Tests never share a virtual host (<see cref="CreateVirtualHostAsync"/>).
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public const string UriVariable = "RETAB_RUNS_RABBITMQ_URI";
    public const string ManagementVariable = "RETAB_RUNS_RABBITMQ_MANAGEMENT_URI";
    public const string ControlVariable = "RETAB_RUNS_RABBITMQ_CTL";
    private const string Image = "rabbitmq:4.1-management";  // the compose stack's broker

    private RabbitMqContainer? _container;
    private string? _control;

    /// <summary>Null when a broker is available; otherwise why every test of this project is skipped.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The broker's root AMQP URI (with credentials, default virtual host).</summary>
    public Uri AmqpUri { get; private set; } = null!;

    /// <summary>Base URL of the management HTTP API (same credentials as <see cref="AmqpUri"/>).</summary>
    public Uri ManagementUri { get; private set; } = null!;

    public string User { get; private set; } = "guest";
    public string Password { get; private set; } = "guest";

    /// <summary>Where the broker came from, for test output.</summary>
    public string Description { get; private set; } = "";

    /// <summary>Null when the tests can stop and start the broker; otherwise why they cannot.</summary>
    public string? ControlUnavailableReason =>
        SkipReason ?? (_container is null && _control is null
            ? $"{ControlVariable} is not set and no Testcontainers broker is in use, so the broker cannot be stopped and restarted"
            : null);

    public async Task InitializeAsync()
    {
        var docker = await DockerProbe.FindAsync(TimeSpan.FromSeconds(2));
        if (docker is not null)
        {
            await StartContainerAsync(docker);
            return;
        }

        var uri = Environment.GetEnvironmentVariable(UriVariable);
        if (string.IsNullOrWhiteSpace(uri))
        {
            SkipReason = $"No RabbitMQ broker: no Docker engine answered (DOCKER_HOST / /var/run/docker.sock) and {UriVariable} is not set. " +
                         $"Run `bash tests/run.sh`, which starts one, or set {UriVariable} (and {ManagementVariable}, {ControlVariable}).";
            return;
        }
        AmqpUri = new Uri(uri);
        var management = Environment.GetEnvironmentVariable(ManagementVariable);
        ManagementUri = new Uri(string.IsNullOrWhiteSpace(management) ? $"http://{AmqpUri.Host}:15672/" : management);
        (User, Password) = Credentials(AmqpUri);
        _control = Environment.GetEnvironmentVariable(ControlVariable) is { Length: > 0 } control ? control : null;
        Description = $"broker from {UriVariable}: {Redacted(AmqpUri)}, management {ManagementUri}";
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
    }

    public Task<IsolatedVirtualHost> CreateVirtualHostAsync(string purpose) =>
        new BrokerManagement(AmqpUri, ManagementUri, User, Password).CreateVirtualHostAsync("retab-it", purpose);

    public Task StopBrokerAsync(ITestOutputHelper output) => _container is not null
        ? _container.StopAsync()
        : RunControlAsync("stop", output);

    public Task StartBrokerAsync(ITestOutputHelper output) => _container is not null
        ? _container.StartAsync()
        : RunControlAsync("start", output);

    private async Task StartContainerAsync(string docker)
    {
        // Fixed host ports: a stopped and restarted container must come back where the services reconnect.
        var amqpPort = FreeTcpPort();
        var managementPort = FreeTcpPort();
        _container = new RabbitMqBuilder(Image)
            .WithPortBinding(amqpPort, 5672)
            .WithPortBinding(managementPort, 15672)
            .Build();
        await _container.StartAsync();
        AmqpUri = new Uri(_container.GetConnectionString());
        AmqpUri = new UriBuilder(AmqpUri) { Host = "127.0.0.1", Port = amqpPort, Path = "/" }.Uri;
        ManagementUri = new Uri($"http://127.0.0.1:{managementPort}/");
        (User, Password) = Credentials(AmqpUri);
        Description = $"Testcontainers {Image} via {docker}: {Redacted(AmqpUri)}, management {ManagementUri}";
    }

    private async Task RunControlAsync(string command, ITestOutputHelper output)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{_control} {command}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run '{_control} {command}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{_control} {command}' did not finish within 3 minutes.");
        }
        var text = (await stdout + await stderr).Trim();
        output.WriteLine($"$ {_control} {command} -> exit {process.ExitCode}\n{text}");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{_control} {command}' exited with {process.ExitCode}: {text}");
    }

    private static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }

    public static string Redacted(Uri uri) => new UriBuilder(uri) { Password = uri.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Finds a Docker engine that answers <c>/_ping</c> quickly; never waits long for one that is not there.</summary>
internal static class DockerProbe
{
    public static async Task<string?> FindAsync(TimeSpan timeout)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string? socketPath = null;
        Uri? tcp = null;
        if (!string.IsNullOrWhiteSpace(host))
        {
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
                return null;
            if (uri.Scheme == "unix")
                socketPath = uri.AbsolutePath;
            else if (uri.Scheme is "tcp" or "http" or "https")
                tcp = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "https" : "http" }.Uri;
            else
                return null;
        }
        else if (File.Exists("/var/run/docker.sock"))
        {
            socketPath = "/var/run/docker.sock";
        }
        else
        {
            return null;
        }

        var handler = new SocketsHttpHandler();
        if (socketPath is not null)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        using var http = new HttpClient(handler) { Timeout = timeout };
        try
        {
            var ping = new Uri(tcp ?? new Uri("http://docker/"), "_ping");
            using var response = await http.GetAsync(ping);
            return response.IsSuccessStatusCode ? socketPath ?? tcp!.ToString() : null;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or SocketException)
        {
            return null;
        }
    }
}

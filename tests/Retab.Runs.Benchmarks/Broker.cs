using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Retab.Runs.Benchmarks;

/// <summary>The RabbitMQ broker under test: AMQP root URI plus its management API (same credentials).</summary>
public sealed class Broker(Uri amqpRoot, Uri managementUri)
{
    public Uri AmqpRoot { get; } = amqpRoot;
    public Uri ManagementUri { get; } = managementUri;

    public (string User, string Password) Credentials
    {
        get
        {
            var parts = Uri.UnescapeDataString(AmqpRoot.UserInfo).Split(':', 2);
            return parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
        }
    }

    public HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        var (user, password) = Credentials;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }

    /// <summary>Broker version from the management API (also proves it answers).</summary>
    public async Task<string> VersionAsync()
    {
        using var http = ManagementClient();
        var overview = JsonNode.Parse(await http.GetStringAsync("api/overview"))!;
        return $"RabbitMQ {overview["rabbitmq_version"]} (Erlang {overview["erlang_version"]})";
    }

    /// <summary>A private virtual host for one scenario; deleted with all its queues on dispose.</summary>
    public Task<BenchVirtualHost> CreateVirtualHostAsync(string purpose) => BenchVirtualHost.CreateAsync(this, purpose);

    public string Redacted(Uri uri) => new UriBuilder(uri) { Password = uri.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();
}

public sealed class BenchVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private BenchVirtualHost(Broker broker, string name)
    {
        _management = broker.ManagementClient();
        Name = name;
        AmqpUri = new UriBuilder(broker.AmqpRoot) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public string Name { get; }
    public Uri AmqpUri { get; }
    private string Escaped => Uri.EscapeDataString(Name);

    public static async Task<BenchVirtualHost> CreateAsync(Broker broker, string purpose)
    {
        var vhost = new BenchVirtualHost(broker, $"retab-bench-{purpose}-{Guid.NewGuid():n}");
        try
        {
            await vhost.SendAsync(HttpMethod.Put, $"api/vhosts/{vhost.Escaped}", "{}");
            await vhost.SendAsync(HttpMethod.Put, $"api/permissions/{vhost.Escaped}/{Uri.EscapeDataString(broker.Credentials.User)}",
                """{"configure":".*","write":".*","read":".*"}""");
            return vhost;
        }
        catch
        {
            await vhost.DisposeAsync();
            throw;
        }
    }

    public async Task<int> ConsumerCountAsync(string queue)
    {
        using var response = await _management.GetAsync($"api/consumers/{Escaped}");
        response.EnsureSuccessStatusCode();
        var all = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return all.Count(c => c?["queue"]?["name"]?.GetValue<string>() == queue);
    }

    public async Task<bool> ExchangeIsBoundAsync(string exchange)
    {
        using var response = await _management.GetAsync($"api/exchanges/{Escaped}/{Uri.EscapeDataString(exchange)}/bindings/source");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Count > 0;
    }

    /// <summary>Every queue of this virtual host as the management API reports it (message counts, stats).</summary>
    public async Task<JsonArray> QueuesAsync()
    {
        using var response = await _management.GetAsync($"api/queues/{Escaped}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Polls until <paramref name="ready"/> holds, or throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ready())
                    return;
            }
            catch (Exception error) when (error is HttpRequestException or InvalidOperationException)
            {
                last = error;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.{(last is null ? "" : " Last error: " + last.Message)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var response = await _management.DeleteAsync($"api/vhosts/{Escaped}");
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
                Console.Error.WriteLine($"warning: could not delete virtual host {Name}: {(int)response.StatusCode}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"warning: could not delete virtual host {Name} ({error.Message}); delete it with the management API");
        }
        _management.Dispose();
    }

    private async Task SendAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _management.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

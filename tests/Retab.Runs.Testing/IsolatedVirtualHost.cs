using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Retab.Runs.Testing;

/// <summary>
/// A virtual host of its own for one test or scenario (management API: PUT /api/vhosts, PUT /api/permissions), so
/// its queues, exchanges and messages are invisible to every other one; deleted, with everything in it, on dispose.
/// </summary>
public sealed class IsolatedVirtualHost : IAsyncDisposable
{
    private readonly BrokerManagement _broker;
    private readonly HttpClient _management;
    private readonly Action<string>? _warn;

    private IsolatedVirtualHost(BrokerManagement broker, string name, Action<string>? warn)
    {
        _broker = broker;
        _management = broker.CreateClient();
        _warn = warn;
        Name = name;
        AmqpUri = new UriBuilder(broker.AmqpRoot) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public string Name { get; }

    /// <summary>The broker's AMQP URI with this virtual host as its path.</summary>
    public Uri AmqpUri { get; }

    private string Escaped => Uri.EscapeDataString(Name);

    internal static async Task<IsolatedVirtualHost> CreateAsync(BrokerManagement broker, string name, Action<string>? warn)
    {
        var vhost = new IsolatedVirtualHost(broker, name, warn);
        try
        {
            await vhost.SendAsync(HttpMethod.Put, $"api/vhosts/{vhost.Escaped}", "{}");
            await vhost.SendAsync(HttpMethod.Put, $"api/permissions/{vhost.Escaped}/{Uri.EscapeDataString(broker.User)}",
                """{"configure":".*","write":".*","read":".*"}""");
            return vhost;
        }
        catch
        {
            await vhost.DisposeAsync();
            throw;
        }
    }

    /// <summary>The management API's view of a queue, or null when it does not exist.</summary>
    public async Task<JsonNode?> GetQueueAsync(string queue)
    {
        using var response = await _management.GetAsync($"api/queues/{Escaped}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every queue of this virtual host as the management API reports it (message counts, stats).</summary>
    public async Task<JsonArray> QueuesAsync()
    {
        using var response = await _management.GetAsync($"api/queues/{Escaped}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Consumers attached to a queue right now (0 when it does not exist).</summary>
    public async Task<int> ConsumerCountAsync(string queue)
    {
        using var response = await _management.GetAsync($"api/consumers/{Escaped}");
        response.EnsureSuccessStatusCode();
        var all = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return all.Count(c => c?["queue"]?["name"]?.GetValue<string>() == queue);
    }

    /// <summary>Sets what the test's user may do in this virtual host (regular expressions over resource names, as RabbitMQ reads them).</summary>
    public Task SetPermissionsAsync(string configure, string write, string read) =>
        SendAsync(HttpMethod.Put, $"api/permissions/{Escaped}/{Uri.EscapeDataString(_broker.User)}",
            new JsonObject { ["configure"] = configure, ["write"] = write, ["read"] = read }.ToJsonString());

    /// <summary>Deletes a queue (its consumers are cancelled by the broker).</summary>
    public async Task DeleteQueueAsync(string queue)
    {
        using var response = await _management.DeleteAsync($"api/queues/{Escaped}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
            throw new InvalidOperationException($"DELETE queue {queue} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>True when the exchange exists and routes somewhere (a service bound a queue or exchange to it).</summary>
    public async Task<bool> ExchangeIsBoundAsync(string exchange)
    {
        using var response = await _management.GetAsync($"api/exchanges/{Escaped}/{Uri.EscapeDataString(exchange)}/bindings/source");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Count > 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var response = await _management.DeleteAsync($"api/vhosts/{Escaped}");
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
                _warn?.Invoke($"could not delete virtual host {Name}: {(int)response.StatusCode}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            // A broker that is gone (a private node or container) takes the virtual host with it; a remote one keeps it.
            _warn?.Invoke($"could not delete virtual host {Name} ({error.Message}); delete it with the management API");
        }
        _management.Dispose();
    }

    private async Task SendAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _management.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"{method} {_broker.ManagementUri}{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

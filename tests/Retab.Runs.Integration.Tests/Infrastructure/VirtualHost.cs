using System.Net;
using System.Text;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// A virtual host of its own for one test (management API: PUT /api/vhosts, PUT /api/permissions), so its queues,
/// exchanges and messages are invisible to every other test; deleted, with everything in it, on dispose.
/// </summary>
public sealed class VirtualHost : IAsyncDisposable
{
    private readonly BrokerFixture _broker;
    private readonly HttpClient _management;

    private VirtualHost(BrokerFixture broker, string name)
    {
        _broker = broker;
        _management = broker.ManagementClient();
        Name = name;
        AmqpUri = new UriBuilder(broker.AmqpUri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public string Name { get; }

    /// <summary>The broker's AMQP URI with this virtual host as its path.</summary>
    public Uri AmqpUri { get; }

    public static async Task<VirtualHost> CreateAsync(BrokerFixture broker, string purpose)
    {
        var vhost = new VirtualHost(broker, $"retab-it-{purpose}-{Guid.NewGuid():n}");
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

    private string Escaped => Uri.EscapeDataString(Name);

    /// <summary>The management API's view of a queue, or null when it does not exist.</summary>
    public async Task<JsonNode?> GetQueueAsync(string queue)
    {
        using var response = await _management.GetAsync($"api/queues/{Escaped}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Consumers attached to a queue right now (0 when it does not exist).</summary>
    public async Task<int> ConsumerCountAsync(string queue)
    {
        using var consumers = await _management.GetAsync($"api/consumers/{Escaped}");
        consumers.EnsureSuccessStatusCode();
        var all = JsonNode.Parse(await consumers.Content.ReadAsStringAsync())!.AsArray();
        return all.Count(c => c?["queue"]?["name"]?.GetValue<string>() == queue);
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
        }
        catch (HttpRequestException)
        {
            // The broker is gone; a private node or container takes the virtual host with it.
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

using System.Text.Json.Nodes;
using Retab.Runs.Testing;

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

    public BrokerManagement Management
    {
        get
        {
            var (user, password) = Credentials;
            return new BrokerManagement(AmqpRoot, ManagementUri, user, password);
        }
    }

    /// <summary>Broker version from the management API (also proves it answers).</summary>
    public async Task<string> VersionAsync()
    {
        using var http = Management.CreateClient();
        var overview = JsonNode.Parse(await http.GetStringAsync("api/overview"))!;
        return $"RabbitMQ {overview["rabbitmq_version"]} (Erlang {overview["erlang_version"]})";
    }

    /// <summary>A private virtual host for one scenario; deleted with all its queues on dispose.</summary>
    public Task<IsolatedVirtualHost> CreateVirtualHostAsync(string purpose) =>
        Management.CreateVirtualHostAsync("retab-bench", purpose, warning => Console.Error.WriteLine($"warning: {warning}"));

    public string Redacted(Uri uri) => new UriBuilder(uri) { Password = uri.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();
}

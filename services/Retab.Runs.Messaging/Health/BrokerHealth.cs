using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Retab.Runs.Messaging.Health;

/// <summary>
/// "Ready" includes the broker (DESIGN §8). MassTransit's own bus check only looks at receive endpoints, and a
/// process that only publishes (the gateway) has none, so readiness also opens — and keeps — a connection of its
/// own to the broker: healthy while it is open, reopened on the next check after the broker comes back.
/// </summary>
internal static class BrokerHealth
{
    public static void AddBrokerHealthCheck(this IServiceCollection services, BusOptions options)
    {
        services.AddSingleton(new BrokerProbeConnection(options.RabbitMqUri));
        services.AddHealthChecks().AddRabbitMQ(
            sp => sp.GetRequiredService<BrokerProbeConnection>().GetAsync(),
            name: "rabbitmq",
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5));
    }
}

/// <summary>One connection for health checks: reused while open, replaced when the broker dropped it.</summary>
internal sealed class BrokerProbeConnection(string uri) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<IConnection> GetAsync()
    {
        if (_connection is { IsOpen: true } open)
            return open;
        await _gate.WaitAsync();
        try
        {
            if (_connection is { IsOpen: true } reopened)
                return reopened;
            if (Interlocked.Exchange(ref _connection, null) is { } dropped)
                await DisposeQuietlyAsync(dropped);
            var factory = new ConnectionFactory
            {
                Uri = new Uri(uri),
                ClientProvidedName = "retab-runs-readiness",
                RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
                // Recovery is this class's job: a closed connection is replaced on the next check.
                AutomaticRecoveryEnabled = false,
            };
            return _connection = await factory.CreateConnectionAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await DisposeQuietlyAsync(_connection);
    }

    /// <summary>A connection the broker already dropped may fail to close; that must not stop a new one from opening.</summary>
    private static async Task DisposeQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Nothing to do: the connection is gone either way.
        }
    }
}

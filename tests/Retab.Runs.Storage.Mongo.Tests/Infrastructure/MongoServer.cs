using System.Net.Sockets;
using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace Retab.Runs.Storage.Mongo.Tests.Infrastructure;

/// <summary>
/// The MongoDB server the contract tests use, found once per test run: the one named by <c>RETAB_RUNS_MONGODB_URI</c>;
/// else a Testcontainers MongoDB (single-node replica set) when a Docker engine answers within 2 s; else none, and
/// <see cref="SkipReason"/> says why (the tests then report as skipped with it).
/// </summary>
public static class MongoServer
{
    public const string UriVariable = "RETAB_RUNS_MONGODB_URI";
    public const string Image = "mongo:8.0";

    private static readonly Lazy<Task<Availability>> Found = new(FindAsync);

    /// <summary>A server to use, or why there is none: <see cref="SkipReason"/> (nothing configured) or <see cref="Error"/> (configured but not answering).</summary>
    public sealed record Availability(string? ConnectionString, string Description, string? SkipReason, string? Error = null);

    public static Task<Availability> GetAsync() => Found.Value;

    private static async Task<Availability> FindAsync()
    {
        var uri = Environment.GetEnvironmentVariable(UriVariable);
        if (!string.IsNullOrWhiteSpace(uri))
        {
            // Named explicitly, so a server that does not answer is a failure, found once and quickly.
            var settings = MongoClientSettings.FromConnectionString(uri);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
            using var client = new MongoClient(settings);
            try
            {
                await client.GetDatabase("admin").RunCommandAsync<MongoDB.Bson.BsonDocument>(new MongoDB.Bson.BsonDocument("ping", 1));
            }
            catch (Exception error) when (error is TimeoutException or MongoException)
            {
                return new Availability(null, $"MongoDB from {UriVariable}", null, $"{UriVariable} is set but the server does not answer: {error.Message}");
            }
            return new Availability(uri, $"MongoDB from {UriVariable}", null);
        }

        var docker = await DockerEngineAsync(TimeSpan.FromSeconds(2));
        if (docker is null)
        {
            return new Availability(null, "none",
                $"MongoDB contract tests skipped: {UriVariable} is not set and no Docker engine answered within 2 s " +
                "(DOCKER_HOST / /var/run/docker.sock). Run them with " +
                $"`{UriVariable}=mongodb://127.0.0.1:27017/?directConnection=true dotnet test tests/Retab.Runs.Storage.Mongo.Tests` " +
                "(e.g. against `docker compose up -d mongodb`), or anywhere Docker runs.");
        }

        var container = new MongoDbBuilder(Image).WithReplicaSet("rs0").Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        // The replica set's member is named from inside the container: talk to the mapped port directly.
        var connection = new MongoUrlBuilder(container.GetConnectionString()) { DirectConnection = true, ReplicaSetName = null }.ToString();
        return new Availability(connection, $"Testcontainers {Image} (replica set rs0) via {docker}", null);
    }

    /// <summary>Where a Docker engine answered <c>/_ping</c>, or null; never waits longer than <paramref name="timeout"/>.</summary>
    private static async Task<string?> DockerEngineAsync(TimeSpan timeout)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            if (!string.IsNullOrWhiteSpace(host))
            {
                if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
                    return null;
                if (uri.Scheme == "unix")
                    return await PingUnixSocketAsync(uri.AbsolutePath, cancel.Token) ? host : null;
                using var http = new HttpClient { Timeout = timeout };
                var ping = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "https" : "http", Path = "/_ping" }.Uri;
                return (await http.GetAsync(ping, cancel.Token)).IsSuccessStatusCode ? host : null;
            }
            const string socket = "/var/run/docker.sock";
            return File.Exists(socket) && await PingUnixSocketAsync(socket, cancel.Token) ? $"unix://{socket}" : null;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<bool> PingUnixSocketAsync(string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
    }
}

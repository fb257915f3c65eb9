using Microsoft.AspNetCore.Connections;

namespace Retab.Runs.Gateway.Hosting;

/// <summary>
/// A host that cannot start says why in one line its operator can act on, not with the host's logged stack trace and
/// an abort: an address already in use names the address and how to pick another. While the host starts, the generic
/// host's own "Hosting failed to start" error is held back — <see cref="RunUntilStopped"/> reports that failure itself,
/// with the full exception for anything it has no sentence for.
/// </summary>
public static class StartupFailures
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    // Only a process run through RunUntilStopped reports its own start failure; test hosts keep every log line.
    private static volatile bool _reportingStart;

    /// <summary>A rule for the generic host's category alone (at its usual Information), so other categories keep their configured levels.</summary>
    public static IServiceCollection AddStartupFailureReport(this IServiceCollection services) =>
        services.AddLogging(logging => logging.AddFilter(HostCategory, level =>
            level >= LogLevel.Information && !(_reportingStart && level >= LogLevel.Error)));

    /// <returns>The process exit code: 0 after a normal stop, 2 when it could not start.</returns>
    public static int RunUntilStopped(this WebApplication app)
    {
        _reportingStart = true;
        app.Lifetime.ApplicationStarted.Register(() => _reportingStart = false);
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception error) when (_reportingStart)
        {
            Console.Error.WriteLine(InUse(error) is { } address
                ? $"Cannot listen on {address}: another process uses it. Stop that process or pick another address, e.g. --urls http://127.0.0.1:8081 (or set Urls / ASPNETCORE_URLS)."
                : $"The service could not start: {error}");
            return 2;
        }
    }

    /// <summary>The address from Kestrel's "Failed to bind to address …" when the cause is an address in use.</summary>
    private static string? InUse(Exception error)
    {
        if (error is not IOException { InnerException: AddressInUseException })
            return null;
        const string prefix = "Failed to bind to address ";
        var message = error.Message;
        return message.StartsWith(prefix, StringComparison.Ordinal)
            ? message[prefix.Length..].Split(": ", 2)[0]
            : "the configured address";
    }
}

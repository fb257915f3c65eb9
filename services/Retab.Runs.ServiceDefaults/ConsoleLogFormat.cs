using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Retab.Runs.ServiceDefaults;

/// <summary>
/// <c>Logging:Format=json</c>: one JSON object per line on the console, for a collector that parses them; the default
/// stays the simple format a person reads. Only the formatter changes: a host that replaced the console logger keeps
/// its own providers.
/// </summary>
internal static class ConsoleLogFormat
{
    private const string Simple = "simple";
    private const string Json = "json";

    public static void Apply(IHostApplicationBuilder builder)
    {
        var format = builder.Configuration[ServiceSettings.LogFormat]?.Trim();
        if (string.IsNullOrEmpty(format) || format.Equals(Simple, StringComparison.OrdinalIgnoreCase))
            return;
        if (!format.Equals(Json, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{ServiceSettings.LogFormat} '{format}' is not supported; use '{Simple}' or '{Json}'.");
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Json);
    }
}

using System.Text.Json;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Messaging;

/// <summary>The System.Text.Json settings of MassTransit's message serializer that differ from its defaults.</summary>
public static class BusJson
{
    /// <summary>
    /// Lets messages nest <see cref="ServiceLimits.InternalJsonDepth"/> levels, as the stores do: a message wraps user JSON
    /// (inputs, outputs) in several levels of its own, so at the reader's default of 64 a value the gateway and the store
    /// accept could be sent and never read back. MassTransit 8 keeps one options instance per process and freezes it at
    /// first use, so a second bus in the same process (the standalone host, tests) gets a copy instead of a failed write.
    /// </summary>
    public static JsonSerializerOptions AcceptInternalDepth(JsonSerializerOptions options)
    {
        if (options.MaxDepth == ServiceLimits.InternalJsonDepth)
            return options;
        var configured = options.IsReadOnly ? new JsonSerializerOptions(options) : options;
        configured.MaxDepth = ServiceLimits.InternalJsonDepth;
        return configured;
    }
}

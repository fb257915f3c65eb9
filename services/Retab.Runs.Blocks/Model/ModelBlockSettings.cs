using System.Text.Json.Nodes;

namespace Retab.Runs.Blocks.Model;

/// <summary>The config every model-backed block shares: <c>model?</c>, <c>instructions?</c>, <c>n_consensus?</c>.</summary>
internal sealed record ModelBlockSettings(string? Model, string? Instructions, int Consensus)
{
    /// <summary>More votes than this cost more than they settle.</summary>
    public const int MaxConsensus = 16;

    /// <returns>The settings, or a message saying which field is wrong.</returns>
    public static (ModelBlockSettings? Settings, string? Error) Read(JsonObject config)
    {
        if (!TryOptionalString(config, "model", out var model) || !TryOptionalString(config, "instructions", out var instructions))
            return (null, "'model' and 'instructions' must be strings when given.");
        var consensus = 1;
        if (config["n_consensus"] is { } n && (n is not JsonValue value || !value.TryGetValue<double>(out var number)
                || number != Math.Floor(number) || number < 1 || number > MaxConsensus))
            return (null, $"'n_consensus' must be a whole number from 1 to {MaxConsensus}, not {n.ToJsonString()}.");
        else if (config["n_consensus"] is JsonValue given)
            consensus = (int)given.GetValue<double>();
        return (new ModelBlockSettings(model, instructions, consensus), null);
    }

    private static bool TryOptionalString(JsonObject config, string key, out string? value)
    {
        value = null;
        return config[key] switch
        {
            null => true,
            JsonValue v when v.TryGetValue<string>(out var text) => (value = text) is not null,
            _ => false,
        };
    }
}

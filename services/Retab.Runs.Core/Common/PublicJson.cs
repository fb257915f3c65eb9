using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retab.Runs.Core.Common;

/// <summary>
/// The JSON conventions of the public API (DESIGN §3): snake_case names, enums as lower snake_case strings.
/// Domain values that cross the bus inside messages (assertions, assertion results) use the same shape.
/// </summary>
public static class PublicJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            // Responses carry user JSON as deep as the stores and the bus hold it (a third-party worker's output
            // included); the default 64 would fail a page that holds one.
            MaxDepth = Limits.ServiceLimits.InternalJsonDepth,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    public static T FromElement<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");
}

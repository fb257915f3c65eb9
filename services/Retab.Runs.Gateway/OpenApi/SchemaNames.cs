using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.OpenApi;

/// <summary>
/// The component names of the document. Request bodies keep their type names, which are Retab's SDK names; the
/// validation error takes FastAPI's (<c>HTTPValidationError</c>), which generated clients already know.
/// </summary>
public static class SchemaNames
{
    private static readonly Dictionary<Type, string> Renamed = new()
    {
        [typeof(ApiErrors.ValidationBody)] = "HTTPValidationError",
        [typeof(ApiErrors.ErrorBody)] = "ErrorBody",
        [typeof(JsonNode)] = "JsonValue",
    };

    public static string Of(Type type) => Renamed.TryGetValue(type, out var name) ? name : type.Name;

    /// <summary>For <see cref="OpenApiOptions.CreateSchemaReferenceId"/>: null keeps a schema inline.</summary>
    public static string? ReferenceIdOf(JsonTypeInfo info)
    {
        if (Renamed.TryGetValue(info.Type, out var name))
            return name;
        // A discriminated union stays inline where it is used (as pydantic writes Retab's), and the generator names
        // each case "<union><case>": without a union name, the cases keep their own (ExistCondition, not
        // AssertionConditionExistCondition).
        if (info.PolymorphismOptions is not null)
            return null;
        return OpenApiOptions.CreateDefaultSchemaReferenceId(info);
    }
}

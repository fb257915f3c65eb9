using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>Reads the metadata of the endpoint an operation describes.</summary>
internal static class EndpointMetadata
{
    public static T? Get<T>(ApiDescription description) where T : class =>
        description.ActionDescriptor.EndpointMetadata.OfType<T>().LastOrDefault();

    public static IEnumerable<T> All<T>(ApiDescription description) =>
        description.ActionDescriptor.EndpointMetadata.OfType<T>();
}

using Retab.Runs.Core.Common;

namespace Retab.Runs.Gateway.Responses;

/// <summary><c>{"data": [...], "list_metadata": {"before", "after"}}</c>; <c>after != null</c> means more.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, ListMetadata ListMetadata)
{
    public static ListResponse<T> From<TItem>(Page<TItem> page, Func<TItem, T> map) =>
        new(page.Data.Select(map).ToList(), new ListMetadata(page.Before, page.After));
}

public sealed record ListMetadata(string? Before, string? After);

namespace Retab.Runs.Core.Common;

public enum SortOrder { Desc, Asc }

/// <summary>Cursor pagination by resource id (ids sort by creation time). <c>Before</c> and <c>After</c> are mutually exclusive.</summary>
public sealed record PageRequest(int Limit = 10, string? Before = null, string? After = null, SortOrder Order = SortOrder.Desc)
{
    public const int MaxLimit = 100;
}

/// <summary>One page; <see cref="After"/> is non-null exactly when more items follow, <see cref="Before"/> when items precede.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? Before, string? After)
{
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Data.Select(map).ToList(), Before, After);
}

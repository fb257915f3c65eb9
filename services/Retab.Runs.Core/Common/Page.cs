namespace Retab.Runs.Core.Common;

public enum SortOrder { Desc, Asc }

/// <summary>Cursor pagination by resource id (ids sort by creation time). <c>Before</c> and <c>After</c> are mutually exclusive.</summary>
public sealed record PageRequest(int Limit = 10, string? Before = null, string? After = null, SortOrder Order = SortOrder.Desc)
{
    public const int MaxLimit = 100;

    public int EffectiveLimit => Math.Clamp(Limit, 1, MaxLimit);

    /// <summary>The id the page starts from, if any.</summary>
    public string? Cursor => Before ?? After;

    /// <summary>A <c>before</c> cursor walks back from the cursor, against the requested order.</summary>
    public bool WalksBackwards => Before is not null;

    /// <summary>The id order a store reads in: ascending for <c>asc</c>, or for <c>desc</c> walking back.</summary>
    public bool ReadsAscending => Order == SortOrder.Asc ^ WalksBackwards;

    /// <summary>How many items a store reads: one more than the page, to know whether more follow.</summary>
    public int ItemsToRead => EffectiveLimit + 1;
}

/// <summary>One page; <see cref="After"/> is non-null exactly when more items follow, <see cref="Before"/> when items precede.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? Before, string? After)
{
    /// <summary>
    /// The page from the (up to <see cref="PageRequest.ItemsToRead"/>) items a store read in walking order: the extra
    /// item only says more follow; a cursor says items precede. Every store provider shapes its pages here.
    /// </summary>
    public static Page<T> FromWalk(List<T> items, PageRequest page, Func<T, string> idOf)
    {
        var more = items.Count > page.EffectiveLimit;
        if (more)
            items.RemoveRange(page.EffectiveLimit, items.Count - page.EffectiveLimit);
        if (page.WalksBackwards)
            items.Reverse();
        if (items.Count == 0)
            return new Page<T>(items, null, null);

        var first = idOf(items[0]);
        var last = idOf(items[^1]);
        return page.WalksBackwards
            ? new Page<T>(items, more ? first : null, last)
            : new Page<T>(items, page.Cursor is not null ? first : null, more ? last : null);
    }
}

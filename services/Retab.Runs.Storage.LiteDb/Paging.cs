using LiteDB;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// Cursor pagination over ids (which sort by creation time). Reads one item more than the page to know
/// whether more follow; a cursor tells that items precede.
/// </summary>
internal static class Paging
{
    public static Page<T> Read<T>(ILiteCollection<BsonDocument> collection, IEnumerable<BsonExpression> filters, PageRequest page, Func<BsonDocument, T?> map, Func<T, string> idOf)
    {
        var limit = Math.Clamp(page.Limit, 1, PageRequest.MaxLimit);
        var backwards = page.Before is not null;
        var ascending = page.Order == SortOrder.Asc ^ backwards;
        var cursor = page.Before ?? page.After;

        var query = collection.Query();
        foreach (var filter in filters)
            query = query.Where(filter);
        if (cursor is not null)
            query = query.Where(ascending ? Query.GT("_id", cursor) : Query.LT("_id", cursor));

        var items = (ascending ? query.OrderBy("_id") : query.OrderByDescending("_id"))
            .ToEnumerable()
            .Select(map)
            .OfType<T>()
            .Take(limit + 1)
            .ToList();
        var more = items.Count > limit;
        if (more)
            items.RemoveAt(limit);
        if (backwards)
            items.Reverse();
        if (items.Count == 0)
            return new Page<T>(items, null, null);

        var first = idOf(items[0]);
        var last = idOf(items[^1]);
        return backwards
            ? new Page<T>(items, more ? first : null, last)
            : new Page<T>(items, cursor is not null ? first : null, more ? last : null);
    }
}

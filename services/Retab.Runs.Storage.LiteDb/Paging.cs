using LiteDB;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>Cursor pagination over ids; the page is shaped by <see cref="Page{T}.FromWalk"/>, as in every store.</summary>
internal static class Paging
{
    public static Page<T> Read<T>(ILiteCollection<BsonDocument> collection, IEnumerable<BsonExpression> filters, PageRequest page, Func<BsonDocument, T?> map, Func<T, string> idOf)
    {
        var query = collection.Query();
        foreach (var filter in filters)
            query = query.Where(filter);
        if (page.Cursor is { } cursor)
            query = query.Where(page.ReadsAscending ? Filter.Gt("_id", cursor) : Filter.Lt("_id", cursor));

        // Mapping may drop documents (filters evaluated in memory), so the limit applies after it.
        var items = (page.ReadsAscending ? query.OrderBy("_id") : query.OrderByDescending("_id"))
            .ToEnumerable()
            .Select(map)
            .OfType<T>()
            .Take(page.ItemsToRead)
            .ToList();
        return Page<T>.FromWalk(items, page, idOf);
    }
}

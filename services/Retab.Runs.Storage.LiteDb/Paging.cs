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

        return Collect((page.ReadsAscending ? query.OrderBy("_id") : query.OrderByDescending("_id")).ToEnumerable(), page, map, idOf);
    }

    /// <summary>
    /// A page of the documents whose ids lie between <paramref name="from"/> and <paramref name="to"/>, read in id
    /// order straight from the <c>_id</c> index: LiteDB stops after the page instead of collecting and sorting every
    /// match, as it does when another index selects the documents. Other conditions belong in <paramref name="map"/>.
    /// </summary>
    public static Page<T> ReadIdRange<T>(ILiteCollection<BsonDocument> collection, string from, string to, PageRequest page, Func<BsonDocument, T?> map, Func<T, string> idOf)
    {
        // The cursor narrows the range; BETWEEN includes its bounds, so the cursor's own document is skipped below.
        var cursor = page.Cursor;
        var (low, high) = cursor is null ? (from, to)
            : page.ReadsAscending ? (Max(from, cursor), to)
            : (from, Min(to, cursor));
        if (string.CompareOrdinal(low, high) > 0)
            return Page<T>.FromWalk([], page, idOf);

        var documents = IdRange(collection, low, high, page.ReadsAscending).ToEnumerable().Where(d => d["_id"].AsString != cursor);
        return Collect(documents, page, map, idOf);
    }

    /// <summary>The ids from <paramref name="low"/> to <paramref name="high"/> (inclusive), in id order.</summary>
    internal static ILiteQueryable<BsonDocument> IdRange(ILiteCollection<BsonDocument> collection, string low, string high, bool ascending)
    {
        var query = collection.Query().Where(Filter.Between("_id", low, high));
        return ascending ? query.OrderBy("_id") : query.OrderByDescending("_id");
    }

    // Mapping may drop documents (conditions evaluated in memory), so the limit applies after it.
    private static Page<T> Collect<T>(IEnumerable<BsonDocument> documents, PageRequest page, Func<BsonDocument, T?> map, Func<T, string> idOf) =>
        Page<T>.FromWalk(documents.Select(map).OfType<T>().Take(page.ItemsToRead).ToList(), page, idOf);

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;

    private static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;
}

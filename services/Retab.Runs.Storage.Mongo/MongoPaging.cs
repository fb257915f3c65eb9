using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Cursor pagination over <c>_id</c> (ids sort by creation time), with the semantics of the embedded store: reads one
/// item more than the page to know whether more follow; a cursor tells that items precede.
/// </summary>
internal static class MongoPaging
{
    public static async Task<Page<T>> ReadAsync<T>(
        IMongoCollection<BsonDocument> collection,
        FilterDefinition<BsonDocument> filter,
        PageRequest page,
        Func<BsonDocument, T> map,
        Func<T, string> idOf,
        CancellationToken cancellationToken)
    {
        var (query, sort, take) = MongoDefinitions.PageQuery(filter, page);
        var documents = await collection.Find(query).Sort(sort).Limit(take).ToListAsync(cancellationToken);
        return Shape(documents.Select(map).ToList(), page, idOf);
    }

    /// <summary>Turns the (limit + 1) items read in walking order into the page and its cursors.</summary>
    public static Page<T> Shape<T>(List<T> items, PageRequest page, Func<T, string> idOf)
    {
        var limit = Math.Clamp(page.Limit, 1, PageRequest.MaxLimit);
        var backwards = page.Before is not null;
        var cursor = page.Before ?? page.After;
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

using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Cursor pagination over <c>_id</c> (ids sort by creation time); the page is shaped by <see cref="Page{T}.FromWalk"/>,
/// as in every store.
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
        return Page<T>.FromWalk(documents.Select(map).ToList(), page, idOf);
    }
}

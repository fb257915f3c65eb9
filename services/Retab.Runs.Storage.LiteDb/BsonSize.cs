using System.Text;
using LiteDB;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// How many bytes LiteDB writes for a document, by the BSON layout (LiteDB's own count is internal). Summed rather than
/// serialized, so measuring a body of several megabytes costs one pass over its characters and no copy.
/// </summary>
internal static class BsonSize
{
    public static long Of(BsonDocument document) =>
        DocumentSize(document.Select(element => (element.Key, element.Value)));

    // int32 total length, then per element: type byte, name as a C string, value; then a closing zero byte.
    private static long DocumentSize(IEnumerable<(string Name, BsonValue Value)> elements) =>
        4 + elements.Sum(e => 1 + Encoding.UTF8.GetByteCount(e.Name) + 1 + ValueSize(e.Value)) + 1;

    private static long ValueSize(BsonValue value) => value.Type switch
    {
        BsonType.String => 4 + Encoding.UTF8.GetByteCount(value.AsString) + 1,
        BsonType.Document => Of(value.AsDocument),
        BsonType.Array => DocumentSize(value.AsArray.Select((item, index) => (index.ToString(System.Globalization.CultureInfo.InvariantCulture), item))),
        BsonType.Binary => 4 + 1 + value.AsBinary.Length,
        BsonType.Guid => 4 + 1 + 16,
        BsonType.ObjectId => 12,
        BsonType.Decimal => 16,
        BsonType.Int32 => 4,
        BsonType.Int64 or BsonType.Double or BsonType.DateTime => 8,
        BsonType.Boolean => 1,
        _ => 0, // null, MinValue, MaxValue: the type byte says it all
    };
}

using LiteDB;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// Query filters with the value as a parameter. LiteDB's <c>Query.EQ</c> and friends write the value into the
/// expression text, and LiteDB compiles every distinct text to a delegate it caches for the life of the process:
/// one per run id, test id and cursor, never freed (200,000 of them after a 100,000-test run, with their dynamic
/// code). Parameterized, the text is the same for every value and compiles once.
/// </summary>
public static class Filter
{
    public static BsonExpression Eq(string field, BsonValue value) => BsonExpression.Create($"{field} = @0", value);

    public static BsonExpression Lt(string field, BsonValue value) => BsonExpression.Create($"{field} < @0", value);

    public static BsonExpression Gt(string field, BsonValue value) => BsonExpression.Create($"{field} > @0", value);

    /// <summary>Both bounds inclusive; one expression, so LiteDB reads the range from a single index.</summary>
    public static BsonExpression Between(string field, BsonValue from, BsonValue to) => BsonExpression.Create($"{field} BETWEEN @0 AND @1", from, to);

    public static BsonExpression In(string field, IEnumerable<BsonValue> values) => BsonExpression.Create($"{field} IN @0", new BsonArray(values));
}

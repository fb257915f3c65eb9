namespace Retab.Runs.Core.Assertions;

/// <summary>The <c>op</c> of <c>number_compare</c> and <c>length_compare</c>: actual OP expected.</summary>
internal enum CompareOp
{
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Neq,
}

internal static class CompareOps
{
    /// <summary>The wire names, in the order used by validation messages.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gt", "gte", "lt", "lte", "eq", "neq"];

    public static bool TryParse(string? name, out CompareOp op)
    {
        op = name switch
        {
            "gt" => CompareOp.Gt,
            "gte" => CompareOp.Gte,
            "lt" => CompareOp.Lt,
            "lte" => CompareOp.Lte,
            "eq" => CompareOp.Eq,
            "neq" => CompareOp.Neq,
            _ => (CompareOp)(-1),
        };
        return Enum.IsDefined(op);
    }

    /// <param name="comparison">actual.CompareTo(expected).</param>
    public static bool Holds(this CompareOp op, int comparison) => op switch
    {
        CompareOp.Gt => comparison > 0,
        CompareOp.Gte => comparison >= 0,
        CompareOp.Lt => comparison < 0,
        CompareOp.Lte => comparison <= 0,
        CompareOp.Eq => comparison == 0,
        _ => comparison != 0,
    };

    public static string Symbol(this CompareOp op) => op switch
    {
        CompareOp.Gt => ">",
        CompareOp.Gte => ">=",
        CompareOp.Lt => "<",
        CompareOp.Lte => "<=",
        CompareOp.Eq => "==",
        _ => "!=",
    };
}

namespace Retab.Runs.Core.Validation;

/// <summary>
/// One problem with a request body, in the FastAPI shape the Retab SDKs parse:
/// <c>loc</c> is the path into the body (strings for keys, ints for indices), <c>type</c> a machine code.
/// </summary>
public sealed record FieldError(IReadOnlyList<object> Loc, string Msg, string Type)
{
    public FieldError Under(params object[] prefix) => this with { Loc = [.. prefix, .. Loc] };
}

namespace Retab.Runs.Compatibility.Tests.Checking;

/// <summary>
/// One way a payload would not read as Retab's model: the field (dotted, <c>data[0].lifecycle.status</c>), what is wrong
/// with it, and the SDK model that declares it, as the schema names it (title, then the SDK file it was written from).
/// </summary>
public sealed record SchemaViolation(string Field, string Problem, string Model, string SchemaFile)
{
    public override string ToString() => $"'{Field}': {Problem} — Retab's {Model} ({SchemaFile})";
}

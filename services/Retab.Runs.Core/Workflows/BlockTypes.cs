namespace Retab.Runs.Core.Workflows;

/// <summary>The block types of DESIGN §3.2 and the handles their outputs appear on.</summary>
public static class BlockTypes
{
    public const string Function = "function";
    public const string Extract = "extract";
    public const string Classifier = "classifier";
    public const string Split = "split";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Function, Extract, Classifier, Split], StringComparer.Ordinal);
}

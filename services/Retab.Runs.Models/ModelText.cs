namespace Retab.Runs.Models;

/// <summary>Bounds the model text that goes into messages and failure details: a runaway answer must not bloat a result row.</summary>
public static class ModelText
{
    public const int MaxDetailChars = 2_000;

    public static string Bounded(string text, int max = MaxDetailChars) =>
        text.Length <= max ? text : text[..max] + $"… ({text.Length - max} more characters)";
}

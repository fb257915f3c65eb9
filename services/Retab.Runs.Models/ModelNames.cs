namespace Retab.Runs.Models;

/// <summary>Which model a call goes to: the block's own <c>model</c>, except Retab's aliases, which mean "the default".</summary>
public static class ModelNames
{
    /// <summary>Retab's own model names: a server of ours has no such model, so they stand for the configured default.</summary>
    public static readonly IReadOnlySet<string> RetabAliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "retab-small", "retab-large" };

    public static string Resolve(string? requested, string defaultModel) =>
        string.IsNullOrWhiteSpace(requested) || RetabAliases.Contains(requested.Trim()) ? defaultModel : requested.Trim();
}

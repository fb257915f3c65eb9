namespace Retab.Runs.Blocks.Model;

/// <summary>Output handles of routed documents: <c>output-file-&lt;key&gt;</c>, the key being a category's <c>handle_key</c> or its name lower-cased with spaces as hyphens.</summary>
public static class HandleKeys
{
    public const string FileOutputPrefix = "output-file-";

    public static string FromName(string name) => name.Trim().ToLowerInvariant().Replace(' ', '-');

    public static string Of(string name, string? handleKey) => string.IsNullOrWhiteSpace(handleKey) ? FromName(name) : handleKey.Trim();

    public static string OutputHandle(string key) => FileOutputPrefix + key;
}

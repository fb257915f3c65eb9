using System.Text.Json.Nodes;

namespace Retab.Runs.Blocks.Model;

public sealed record Subdocument(string Name, string Description, bool AllowMultipleInstances);

public sealed record SplitPart(string Name, IReadOnlyList<int> Pages);

/// <summary>
/// Checks a split answer <c>{splits: [{name, pages}]}</c> against the block's subdocuments and the document: every
/// name is a subdocument, every page is within 1..page count, and a subdocument appears once unless it allows
/// multiple instances. The model is asked for this shape, but nothing makes it comply.
/// </summary>
public static class SplitValidation
{
    /// <returns>The parts, or why the answer does not have the shape asked for.</returns>
    public static (IReadOnlyList<SplitPart>? Parts, string? Error) Parse(JsonNode? answer)
    {
        if (answer is not JsonObject obj || obj["splits"] is not JsonArray splits)
            return (null, "The model's answer is not {splits: [{name, pages}]}.");
        var parts = new List<SplitPart>();
        foreach (var split in splits)
        {
            if (split is not JsonObject part || part["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)
                || part["pages"] is not JsonArray pageArray)
                return (null, $"The split {split?.ToJsonString() ?? "null"} is not {{name, pages}}.");
            var pages = new List<int>();
            foreach (var page in pageArray)
            {
                if (page is not JsonValue pageValue || !pageValue.TryGetValue<double>(out var number) || number != Math.Floor(number)
                    || number is < int.MinValue or > int.MaxValue)
                    return (null, $"The split '{name}' has a page that is not a whole number: {page?.ToJsonString() ?? "null"}.");
                pages.Add((int)number);
            }
            parts.Add(new SplitPart(name, pages));
        }
        return (parts, null);
    }

    /// <returns>Null when the parts fit the subdocuments and the document, else what is wrong.</returns>
    public static string? Check(IReadOnlyList<SplitPart> parts, IReadOnlyList<Subdocument> subdocuments, int pageCount)
    {
        var byName = subdocuments.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (!byName.TryGetValue(part.Name, out var subdocument))
                return $"The model named the subdocument '{part.Name}', which is not one of: {string.Join(", ", subdocuments.Select(s => s.Name))}.";
            if (!seen.Add(part.Name) && !subdocument.AllowMultipleInstances)
                return $"The model returned '{part.Name}' more than once, but it does not allow multiple instances.";
            var outside = part.Pages.Where(p => p < 1 || p > pageCount).ToList();
            if (outside.Count > 0)
                return $"The split '{part.Name}' names page(s) {string.Join(", ", outside)} outside the document's {pageCount} page(s).";
        }
        return null;
    }
}

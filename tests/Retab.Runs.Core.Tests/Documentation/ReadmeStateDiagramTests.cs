using System.Text.RegularExpressions;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Tests.Documentation;

/// <summary>The README's run state diagram is the lifecycle the code declares (<see cref="RunLifecycle"/>): no move missing, none invented.</summary>
public sealed partial class ReadmeStateDiagramTests
{
    [Fact]
    public void The_readme_diagram_has_exactly_the_moves_RunLifecycle_allows()
    {
        var diagram = ReadDiagram();
        var drawn = Edges().Matches(diagram)
            .Select(m => (From: m.Groups["from"].Value, To: m.Groups["to"].Value))
            .Where(e => e.From != "[*]" && e.To != "[*]")
            .ToHashSet();

        var declared = Enum.GetValues<RunStatus>()
            .SelectMany(to => RunLifecycle.RunSourcesFor(to).Select(from => (From: Name(from), To: Name(to))))
            .ToHashSet();

        Assert.Equal(declared.Order(), drawn.Order());
    }

    [Fact]
    public void The_readme_diagram_starts_pending_and_ends_in_every_terminal_state()
    {
        var edges = Edges().Matches(ReadDiagram()).Select(m => (From: m.Groups["from"].Value, To: m.Groups["to"].Value)).ToList();

        Assert.Equal([Name(RunStatus.Pending)], edges.Where(e => e.From == "[*]").Select(e => e.To));
        var terminal = Enum.GetValues<RunStatus>().Where(RunLifecycle.IsTerminal).Select(Name).Order();
        Assert.Equal(terminal, edges.Where(e => e.To == "[*]").Select(e => e.From).Order());
    }

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string ReadDiagram()
    {
        var readme = File.ReadAllText(FindReadme());
        var start = readme.IndexOf("```mermaid\nstateDiagram-v2", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ```mermaid stateDiagram-v2 block");
        var end = readme.IndexOf("```", start + 3, StringComparison.Ordinal);
        return readme[start..end];
    }

    private static string FindReadme()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Retab.Runs.sln")))
                return Path.Combine(folder.FullName, "README.md");
        }
        throw new FileNotFoundException("No Retab.Runs.sln above the test's folder, so no README.md to check.");
    }

    [GeneratedRegex(@"^\s*(?<from>\[\*\]|[a-z]+)\s*-->\s*(?<to>\[\*\]|[a-z]+)", RegexOptions.Multiline)]
    private static partial Regex Edges();
}

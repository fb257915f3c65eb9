using System.CommandLine;
using Retab.Runs.Cli.Watching;

namespace Retab.Runs.Cli.Commands;

/// <summary>The flags of commands that follow a run: <c>--junit FILE</c> and <c>--cancel-on-interrupt</c>.</summary>
public sealed class WatchFlags
{
    private readonly Option<string?> _junit = new("--junit") { Description = "Also write the run as JUnit XML to this file" };
    private readonly Option<bool> _cancelOnInterrupt = new("--cancel-on-interrupt") { Description = "Ctrl+C cancels the run without asking" };

    public void AddTo(Command command)
    {
        command.Options.Add(_junit);
        command.Options.Add(_cancelOnInterrupt);
    }

    public bool AnyGiven(ParseResult parse) => parse.GetValue(_junit) is not null || parse.GetValue(_cancelOnInterrupt);

    public WatchOptions Options(ParseResult parse, bool json) => new(json, parse.GetValue(_junit), parse.GetValue(_cancelOnInterrupt));
}

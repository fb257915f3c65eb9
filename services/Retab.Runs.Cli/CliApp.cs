using System.CommandLine;
using Retab.Runs.Cli.Commands;
using Spectre.Console;

namespace Retab.Runs.Cli;

/// <summary>The <c>retab-runs</c> command tree and its one entry point, which tests call in-process.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var kit = new CommandKit(context);
        var root = new RootCommand("retab-runs: run and follow Retab workflow tests on a Retab Runs service")
        {
            RunsCommands.Build(kit),
            ResultsCommands.Build(kit),
            TestsCommands.Build(kit),
            WorkflowsCommands.Build(kit),
            FilesCommands.Build(kit),
        };
        root.Options.Add(kit.BaseUrl);
        root.Options.Add(kit.ApiKey);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                context.ErrorConsole.WriteLine(error.Message, new Style(Color.Red));
            context.ErrorConsole.WriteLine("Run 'retab-runs --help' for usage.", Style.Plain);
            return ExitCodes.UsageOrConnection;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = context.Out,
                EnableDefaultExceptionHandler = false,
                // Ctrl+C is the watcher's to handle (InterruptSignal), not System.CommandLine's.
                ProcessTerminationTimeout = null,
            });
        }
        catch (CliException error)
        {
            context.ErrorConsole.WriteLine(error.Message, new Style(Color.Red));
            return error.ExitCode;
        }
        catch (OperationCanceledException) when (!context.Interrupt.Token.IsCancellationRequested)
        {
            context.ErrorConsole.WriteLine("The service did not answer in time.", new Style(Color.Red));
            return ExitCodes.UsageOrConnection;
        }
    }
}

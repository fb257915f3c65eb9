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
                context.Error(error.Message);
            context.Error("Run 'retab-runs --help' for usage.");
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
            context.Error(error.Message);
            return error.ExitCode;
        }
        catch (OperationCanceledException) when (!context.Interrupt.Token.IsCancellationRequested)
        {
            context.Error("The service did not answer in time.");
            return ExitCodes.UsageOrConnection;
        }
    }
}

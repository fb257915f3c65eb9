using Retab.Runs.Cli;
using Spectre.Console;

var interrupt = new InterruptSignal();
// Claim Ctrl+C only while a run is followed, so the command can ask about cancelling it; otherwise the process ends as usual.
Console.CancelKeyPress += (_, press) =>
{
    if (!interrupt.IsListening)
        return;
    press.Cancel = true;
    interrupt.Raise();
};
return await CliApp.RunAsync(args, new CliContext(AnsiConsole.Console)
{
    Interrupt = interrupt,
    ErrorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
});

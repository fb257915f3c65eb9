using System.Reflection;
using Microsoft.Extensions.Options;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Standalone;

/// <summary>
/// The reasons this host cannot start that its operator fixes from one sentence: a key in <c>Auth</c> is weak or
/// missing its organization, or another process has the data folder. Checked before the host starts, so the answer is
/// that sentence on stderr and exit code 1, not the host's logged stack trace.
/// </summary>
public static class StartupChecks
{
    /// <summary>
    /// Validates <c>Auth</c>, then opens the database (taking the data folder's lock); false after writing why not.
    /// The lock is the last thing taken, so a failure leaves nothing open. Under a test host, where this program is not
    /// the entry assembly, the failure goes on to the caller as the exception.
    /// </summary>
    public static bool Pass(WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            _ = app.Services.GetRequiredService<LiteDbContext>();
            return true;
        }
        catch (Exception error) when (error is OptionsValidationException or DataFolderInUseException && RunsAsItsOwnProcess)
        {
            Console.Error.WriteLine(error.Message);
            return false;
        }
    }

    private static bool RunsAsItsOwnProcess => Assembly.GetEntryAssembly() == typeof(StartupChecks).Assembly;
}

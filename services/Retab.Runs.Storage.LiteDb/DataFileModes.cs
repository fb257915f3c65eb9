using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// One file holds every organization's data, so it and its folder are private (<see cref="PrivateFiles"/>): the
/// database file and its log 600, their folder 700. Missing files are created empty first, so LiteDB opens a file that
/// was private from its first byte (it takes an empty file as a new database and an empty log as no log); existing
/// ones, from a deployment made before this, are tightened.
/// </summary>
/// <remarks>
/// LiteDB deletes its log when it closes the file and makes a new one, with the default mode, at the next write. In
/// exclusive mode that happens only between two runs of the service, and the next start creates the log private again;
/// in shared mode, which closes the file after each operation, the folder's 700 is what keeps that log private.
/// </remarks>
internal static class DataFileModes
{
    public static void Protect(string databasePath)
    {
        PrivateFiles.CreateOrTightenFolder(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        PrivateFiles.CreateEmptyOrTighten(databasePath);
        PrivateFiles.CreateEmptyOrTighten(LogFileOf(databasePath));
    }

    /// <summary>LiteDB's name for the log next to a database: <c>retab-runs.db</c> → <c>retab-runs-log.db</c>.</summary>
    public static string LogFileOf(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!,
            $"{Path.GetFileNameWithoutExtension(databasePath)}-log{Path.GetExtension(databasePath)}");
}

namespace Retab.Runs.Storage.LiteDb;

/// <summary>Another process holds the database file's lock (<see cref="DataFolderLock"/>). The message is one line, fit to end a start with.</summary>
public sealed class DataFolderInUseException(string folder, string lockFile, int? processId, Exception inner)
    : IOException(
        $"The data folder {folder} is in use by {(processId is { } pid ? $"process {pid}" : "another process")} (lock file {lockFile}); stop it or give this process another data folder.",
        inner)
{
    public string Folder { get; } = folder;
    public string LockFile { get; } = lockFile;

    /// <summary>The holder's process id, when it runs in exclusive mode and could be read.</summary>
    public int? ProcessId { get; } = processId;
}

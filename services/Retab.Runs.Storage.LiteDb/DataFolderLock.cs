using System.Diagnostics;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// One process per database file: an OS lock on <c>&lt;database&gt;.lock</c>, held for the life of the context. Two
/// processes in LiteDB's exclusive mode on one file would each keep their own view of it and lose each other's writes,
/// so exclusive mode locks it exclusively; shared mode (several processes on purpose) locks it shared, so the two modes
/// never mix on one file. The lock is <c>flock(2)</c> on Unix, the share mode on Windows (what .NET does for
/// <see cref="FileShare"/>); the OS releases it however the process ends, so a crash leaves no stale lock. The lock file
/// stays when released: deleting it would race with the next process opening it.
/// </summary>
/// <remarks>
/// The exclusive holder writes its PID to <c>&lt;database&gt;.pid</c> for the refusal message of the next process. It
/// cannot go into the lock file itself: .NET takes a shared <c>flock</c> to read any file, which the exclusive lock
/// refuses.
/// </remarks>
public sealed class DataFolderLock : IDisposable
{
    // The same refusal, by platform: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows, EWOULDBLOCK on Linux and macOS.
    private static readonly int[] InUse = [unchecked((int)0x80070020), unchecked((int)0x80070021), 11, 35];

    private readonly FileStream _lock;
    private readonly string? _pidFile;

    private DataFolderLock(FileStream @lock, string? pidFile)
    {
        _lock = @lock;
        _pidFile = pidFile;
    }

    public static string LockFileOf(string databasePath) => databasePath + ".lock";

    public static string PidFileOf(string databasePath) => databasePath + ".pid";

    /// <summary>
    /// Takes the lock, or throws <see cref="DataFolderInUseException"/> naming the holder when another process has it.
    /// A missing folder is created (private) first: the lock file lives in it.
    /// </summary>
    public static DataFolderLock Acquire(string databasePath, bool shared)
    {
        PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        var lockFile = LockFileOf(databasePath);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = shared ? FileAccess.Read : FileAccess.ReadWrite,
            Share = shared ? FileShare.ReadWrite : FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        FileStream held;
        try
        {
            held = new FileStream(lockFile, options);
        }
        catch (IOException error) when (InUse.Contains(error.HResult))
        {
            var folder = Path.GetDirectoryName(databasePath) is { Length: > 0 } configured ? configured : ".";
            throw new DataFolderInUseException(folder, lockFile, LiveHolder(PidFileOf(databasePath)), error);
        }
        var acquired = new DataFolderLock(held, shared ? null : PidFileOf(databasePath));
        acquired.ReleaseIfThrows(() =>
        {
            PrivateFiles.Tighten(lockFile);
            if (acquired._pidFile is not { } pidFile)
                return;
            File.Delete(pidFile);
            using var writer = new StreamWriter(new FileStream(pidFile, PrivateFiles.NewFile()));
            writer.Write(Environment.ProcessId);
        });
        return acquired;
    }

    /// <summary>Runs <paramref name="open"/> under the lock; if it throws, the lock is released before the error goes on.</summary>
    public T ReleaseIfThrows<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="ReleaseIfThrows{T}"/>
    public void ReleaseIfThrows(Action prepare) => ReleaseIfThrows(() =>
    {
        prepare();
        return true;
    });

    public void Dispose()
    {
        // The PID goes before the lock does, so no other process's PID file is ever deleted.
        if (_pidFile is not null)
            File.Delete(_pidFile);
        _lock.Dispose();
    }

    /// <summary>The PID in the file if that process still runs (a PID file outlives a crash).</summary>
    private static int? LiveHolder(string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
                return null;
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : pid;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}

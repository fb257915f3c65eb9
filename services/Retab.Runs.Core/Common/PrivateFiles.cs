namespace Retab.Runs.Core.Common;

/// <summary>
/// Files and folders only the service's own user may open: the data, keys and secrets it keeps on disk. On Unix,
/// folders are 700 and files 600 from the moment they are created, and an existing one that is looser (made by an
/// older version, or restored from a backup by a plain <c>cp</c>) loses its group and other access. Windows has no
/// modes; there the folder's inherited ACL applies.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Options that create a new file (failing when one exists), private from its first byte.</summary>
    public static FileStreamOptions NewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }

    /// <summary>Creates the folder (and missing parents) private; an existing folder is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    /// <summary>
    /// Creates the folder private, or takes group and other access away from an existing one. A folder that is shared
    /// on purpose (sticky bit, as <c>/tmp</c>) or that belongs to another user is left alone: the modes of the files
    /// in it still keep them private.
    /// </summary>
    public static void CreateOrTightenFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            CreateFolder(folder);
            return;
        }
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(folder);
        if ((mode & GroupOrOther) == 0 || (mode & UnixFileMode.StickyBit) != 0)
            return;
        try
        {
            File.SetUnixFileMode(folder, mode & ~GroupOrOther);
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change.
        }
    }

    /// <summary>Creates an empty private file when there is none; takes group and other access away from an existing one.</summary>
    public static void CreateEmptyOrTighten(string file)
    {
        try
        {
            new FileStream(file, NewFile()).Dispose();
            return;
        }
        catch (IOException) when (File.Exists(file))
        {
            // It exists already (perhaps since a moment ago): only its mode needs checking.
        }
        Tighten(file);
    }

    /// <summary>Takes group and other access away from the file, if it exists.</summary>
    public static void Tighten(string file)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(file))
            return;
        var mode = File.GetUnixFileMode(file);
        if ((mode & GroupOrOther) != 0)
            File.SetUnixFileMode(file, mode & ~GroupOrOther);
    }
}

using System.Runtime.Versioning;
using LiteDB;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The folder of a LiteDB file holds every organization's data: it is private (folder 700, files 600, also when an
/// older deployment left it open) and used by one process at a time (<see cref="DataFolderLock"/>). Processes are
/// exercised end to end by the acceptance suite; here two contexts in this process meet the same lock.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LiteDbDataFolderTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private const UnixFileMode OpenToOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDatabaseFile _file = new();

    private string LogFile => Path.Combine(_file.Folder, "retab-runs-log.db");

    [Fact]
    public void A_new_database_its_log_and_its_folder_are_private_from_the_start()
    {
        using (var db = new LiteDbContext(_file.Path))
        {
            db.Workflows.Insert(new BsonDocument { ["_id"] = "wf_1", ["org"] = "org_a" });

            Assert.Equal(PrivateFolder, File.GetUnixFileMode(_file.Folder));
            Assert.All([_file.Path, LogFile, _file.Path + ".lock", _file.Path + ".pid"], file => Assert.Equal(Private, File.GetUnixFileMode(file)));
        }

        using var reopened = new LiteDbContext(_file.Path);
        Assert.Equal(1, reopened.Workflows.Count());
        Assert.Equal(Private, File.GetUnixFileMode(LogFile));
    }

    [Fact]
    public void A_deployment_left_open_to_others_is_made_private_when_the_database_opens()
    {
        using (var db = new LiteDbContext(_file.Path))
            db.Workflows.Insert(new BsonDocument { ["_id"] = "wf_1", ["org"] = "org_a" });
        File.SetUnixFileMode(_file.Folder, PrivateFolder | OpenToOthers | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_file.Path, Private | OpenToOthers);
        using (new FileStream(LogFile, FileMode.Create)) { }
        File.SetUnixFileMode(LogFile, Private | OpenToOthers | UnixFileMode.OtherWrite);

        using var reopened = new LiteDbContext(_file.Path);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(_file.Folder));
        Assert.Equal(Private, File.GetUnixFileMode(_file.Path));
        Assert.Equal(Private, File.GetUnixFileMode(LogFile));
        Assert.Equal(1, reopened.Workflows.Count());
    }

    [Fact]
    public void A_folder_shared_on_purpose_with_the_sticky_bit_keeps_its_mode_while_the_files_in_it_are_private()
    {
        const UnixFileMode shared = (UnixFileMode)0b1_111_111_111; // 1777, as /tmp
        Directory.CreateDirectory(_file.Folder);
        File.SetUnixFileMode(_file.Folder, shared);

        using var db = new LiteDbContext(_file.Path);

        Assert.Equal(shared, File.GetUnixFileMode(_file.Folder));
        Assert.Equal(Private, File.GetUnixFileMode(_file.Path));
    }

    [Fact]
    public void A_second_exclusive_context_on_the_file_is_refused_naming_the_folder_and_the_holder_until_the_first_closes()
    {
        var first = new LiteDbContext(_file.Path);

        var refused = Assert.Throws<DataFolderInUseException>(() => new LiteDbContext(_file.Path));

        Assert.Equal(Environment.ProcessId, refused.ProcessId);
        Assert.Equal(
            $"The data folder {_file.Folder} is in use by process {Environment.ProcessId} (lock file {_file.Path}.lock); stop it or give this process another data folder.",
            refused.Message);
        first.Dispose();
        Assert.False(File.Exists(_file.Path + ".pid"));
        using var second = new LiteDbContext(_file.Path);
    }

    [Fact]
    public void Shared_contexts_open_one_file_together_but_never_alongside_an_exclusive_one()
    {
        using (new LiteDbContext(_file.Path, shared: true))
        using (new LiteDbContext(_file.Path, shared: true))
        {
            var exclusive = Assert.Throws<DataFolderInUseException>(() => new LiteDbContext(_file.Path));
            Assert.Null(exclusive.ProcessId);
            Assert.Contains("is in use by another process", exclusive.Message);
        }

        using (new LiteDbContext(_file.Path))
            Assert.Throws<DataFolderInUseException>(() => new LiteDbContext(_file.Path, shared: true));
    }

    [Fact]
    public void The_pid_file_of_a_holder_that_died_is_not_believed()
    {
        using var shared = new LiteDbContext(_file.Path, shared: true);
        File.WriteAllText(_file.Path + ".pid", int.MaxValue.ToString());

        var refused = Assert.Throws<DataFolderInUseException>(() => new LiteDbContext(_file.Path));

        Assert.Null(refused.ProcessId);
    }

    public void Dispose() => _file.Delete();
}

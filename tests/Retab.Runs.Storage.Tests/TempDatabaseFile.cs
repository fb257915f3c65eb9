namespace Retab.Runs.Storage.Tests;

/// <summary>A LiteDB file path in a temp folder of one test's own; <see cref="Delete"/> removes the folder.</summary>
public sealed class TempDatabaseFile
{
    public string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "retab-runs-storage-tests", Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(Folder, "retab-runs.db");

    public Task Delete()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

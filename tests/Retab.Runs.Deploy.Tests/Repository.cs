namespace Retab.Runs.Deploy.Tests;

/// <summary>Paths in the repository these tests check (found upwards from the test assembly, where docker-compose.yml is).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ComposeFile => Path.Combine(Root, "docker-compose.yml");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "docker-compose.yml"))
                && System.IO.File.Exists(Path.Combine(directory.FullName, "Retab.Runs.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"no docker-compose.yml next to Retab.Runs.sln above {AppContext.BaseDirectory}");
    }
}

using System.Diagnostics;

namespace Retab.Runs.Deploy.Tests;

/// <summary>
/// The real Compose CLI, run as an operator would (<c>docker-compose … config</c>) with exactly the environment a test
/// chooses: no inherited <c>RETAB_RUNS_*</c> variable and no <c>.env</c> file can change what it renders. Debian's
/// docker-compose 1.29 (what tests/run.sh installs) renders without a Docker engine; Compose v2 (<c>docker compose</c>)
/// is used when that is what the machine has.
/// </summary>
public sealed class ComposeCli
{
    private readonly string _fileName;
    private readonly string[] _prefix;

    private ComposeCli(string fileName, string[] prefix)
    {
        _fileName = fileName;
        _prefix = prefix;
    }

    /// <summary>The CLI, or null with <paramref name="missing"/> saying why the compose tests cannot run here.</summary>
    public static ComposeCli? Find(out string missing)
    {
        missing = "";
        if (FindOnPath("docker-compose") is { } v1)
            return new ComposeCli(v1, []);
        if (FindOnPath("docker") is { } docker && Succeeds(docker, "compose", "version"))
            return new ComposeCli(docker, ["compose"]);
        missing = "docker-compose is not installed (neither docker-compose nor `docker compose` on PATH); " +
                  "tests/run.sh installs Debian's docker-compose (apt-get install docker-compose)";
        return null;
    }

    /// <summary>Runs <c>config</c> on <paramref name="composeFile"/> with these variables (null: unset) and the given profiles.</summary>
    public ComposeResult Config(string composeFile, IReadOnlyDictionary<string, string?> variables, params string[] profiles)
    {
        var emptyEnvFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(_fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(composeFile)!,
            };
            foreach (var argument in _prefix)
                start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--env-file");
            start.ArgumentList.Add(emptyEnvFile);
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(composeFile);
            foreach (var profile in profiles)
            {
                start.ArgumentList.Add("--profile");
                start.ArgumentList.Add(profile);
            }
            start.ArgumentList.Add("config");

            foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("RETAB_RUNS_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(inherited);
            foreach (var (name, value) in variables)
            {
                if (value is null)
                    start.Environment.Remove(name);
                else
                    start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{_fileName} config did not finish in 60 s");
            }
            return new ComposeResult(process.ExitCode, output.Result, error.Result);
        }
        finally
        {
            File.Delete(emptyEnvFile);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);

    private static bool Succeeds(string fileName, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (process.WaitForExit(TimeSpan.FromSeconds(10)))
                return process.ExitCode == 0;
            process.Kill(entireProcessTree: true);
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>What one <c>config</c> run printed and how it ended.</summary>
public sealed record ComposeResult(int ExitCode, string Output, string Error);

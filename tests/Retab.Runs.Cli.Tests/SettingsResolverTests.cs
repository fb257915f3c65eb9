using Retab.Runs.Cli.Configuration;

namespace Retab.Runs.Cli.Tests;

/// <summary>Flag, then environment, then config file, then the standalone defaults; each setting on its own.</summary>
public sealed class SettingsResolverTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("retab-runs-home-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("retab-runs-work-").FullName;
    private readonly Dictionary<string, string?> _environment = [];

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    private SettingsResolver Resolver => new(name => _environment.GetValueOrDefault(name), _home, _work);

    private void WriteConfig(string folder, string json)
    {
        Directory.CreateDirectory(Path.Combine(folder, "retab-runs"));
        File.WriteAllText(Path.Combine(folder, "retab-runs", "config.json"), json);
    }

    private void WriteDefaultKey(string key)
    {
        Directory.CreateDirectory(Path.Combine(_work, "data"));
        File.WriteAllText(Path.Combine(_work, "data", "api-key"), key + "\n");
    }

    [Fact]
    public void Flags_win_over_everything()
    {
        _environment["RETAB_RUNS_BASE_URL"] = "http://env:1";
        _environment["RETAB_RUNS_API_KEY"] = "env-key";
        WriteConfig(Path.Combine(_home, ".config"), """{"base_url": "http://file:2", "api_key": "file-key"}""");
        WriteDefaultKey("default-key");

        var settings = Resolver.Resolve("http://flag:3", "flag-key");

        Assert.Equal(new Uri("http://flag:3/"), settings.BaseUrl);
        Assert.Equal("flag-key", settings.ApiKey);
        Assert.Equal(("--base-url", "--api-key"), (settings.BaseUrlSource, settings.ApiKeySource));
    }

    [Fact]
    public void The_environment_wins_over_the_config_file()
    {
        _environment["RETAB_RUNS_BASE_URL"] = "http://env:1";
        _environment["RETAB_RUNS_API_KEY"] = "env-key";
        WriteConfig(Path.Combine(_home, ".config"), """{"base_url": "http://file:2", "api_key": "file-key"}""");

        var settings = Resolver.Resolve(null, null);

        Assert.Equal(new Uri("http://env:1/"), settings.BaseUrl);
        Assert.Equal("env-key", settings.ApiKey);
    }

    [Fact]
    public void The_config_file_wins_over_the_defaults_and_each_setting_falls_back_on_its_own()
    {
        WriteConfig(Path.Combine(_home, ".config"), """{"api_key": "file-key"}""");
        WriteDefaultKey("default-key");
        _environment["RETAB_RUNS_BASE_URL"] = "https://runs.example.com/retab";

        var settings = Resolver.Resolve(null, null);

        Assert.Equal("file-key", settings.ApiKey);
        // A path prefix survives: routes are resolved relative to it.
        Assert.Equal(new Uri("https://runs.example.com/retab/v1/workflows"), new Uri(settings.BaseUrl, "v1/workflows"));
    }

    [Fact]
    public void Xdg_config_home_replaces_the_dot_config_folder()
    {
        var xdg = Path.Combine(_home, "xdg");
        _environment["XDG_CONFIG_HOME"] = xdg;
        WriteConfig(Path.Combine(_home, ".config"), """{"api_key": "dot-config-key"}""");
        WriteConfig(xdg, """{"api_key": "xdg-key", "base_url": "http://xdg:4"}""");

        var settings = Resolver.Resolve(null, null);

        Assert.Equal("xdg-key", settings.ApiKey);
        Assert.Equal(new Uri("http://xdg:4/"), settings.BaseUrl);
        Assert.Equal(Path.Combine(xdg, "retab-runs", "config.json"), settings.ApiKeySource);
    }

    [Fact]
    public void Without_anything_the_standalone_defaults_apply()
    {
        WriteDefaultKey("default-key");

        var settings = Resolver.Resolve(null, null);

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), settings.BaseUrl);
        Assert.Equal("default-key", settings.ApiKey);
        Assert.Equal(Path.Combine(_work, "data", "api-key"), settings.ApiKeySource);
    }

    [Fact]
    public void No_key_anywhere_is_a_clear_usage_error()
    {
        var error = Assert.Throws<CliException>(() => Resolver.Resolve(null, null));

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("No API key", error.Message);
        Assert.Contains("RETAB_RUNS_API_KEY", error.Message);
        Assert.Contains(Path.Combine(_home, ".config", "retab-runs", "config.json"), error.Message);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://host/")]
    [InlineData("127.0.0.1:8080")]
    public void A_base_url_that_is_not_http_is_refused(string baseUrl)
    {
        var error = Assert.Throws<CliException>(() => Resolver.Resolve(baseUrl, "key"));
        Assert.Contains("--base-url", error.Message);
    }

    [Fact]
    public void A_config_file_that_is_not_json_is_named_in_the_error()
    {
        WriteConfig(Path.Combine(_home, ".config"), "{ base_url = nope");

        var error = Assert.Throws<CliException>(() => Resolver.Resolve(null, "key"));

        Assert.Contains("config.json is not valid JSON", error.Message);
    }
}

using Microsoft.Playwright;

using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>
/// One host on a loopback port and one headless Debian chromium for the collection. Playwright's own browser
/// download cannot work here, so the browser is the system's: <c>RETAB_RUNS_CHROMIUM</c> or <c>/usr/bin/chromium</c>.
/// Screenshots go to <see cref="ScreenshotFolder"/> in the test output folder.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public StandaloneHost Host { get; } = new(onKestrel: true);

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static string ChromiumPath() =>
        Environment.GetEnvironmentVariable("RETAB_RUNS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        Host.StartServer();
        Directory.CreateDirectory(ScreenshotFolder);
        var chromium = ChromiumPath();
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"No chromium at {chromium}: install Debian's (apt-get install -y chromium) or set RETAB_RUNS_CHROMIUM.");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespaces for chromium's sandbox, and /dev/shm may be tiny.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (own sessionStorage) on the host's address.</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Host.Address.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        Playwright?.Dispose();
        await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

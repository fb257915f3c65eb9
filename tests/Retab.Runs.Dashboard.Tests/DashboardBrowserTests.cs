using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>The dashboard in a real chromium against the real host: sign in, start a run, follow it, read a failure.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] CountKinds = ["passed", "failed", "blocked", "error", "cancelled", "queued", "running"];

    private const float Patience = 60_000;

    [Fact]
    public async Task A_run_started_from_the_page_is_followed_to_completed_with_the_counts_the_api_reports()
    {
        using var api = fixture.Host.RealClient();
        var workflowName = "Invoice totals " + Guid.NewGuid().ToString("n")[..6];
        // Slow tests, so the run is still going when its page opens: a page opened on an ended run follows no stream,
        // and this test checks that the page followed the run live.
        var workflowId = await Seed.WorkflowWithThreeTestsAsync(api, workflowName, Seed.SlowTotalFunction);

        await using var context = await fixture.NewContextAsync();
        var requests = new ConcurrentQueue<string>();
        context.Request += (_, request) => requests.Enqueue(request.Url);
        var page = await context.NewPageAsync();
        var consoleErrors = new ConcurrentQueue<string>();
        // A resource answering 4xx is logged as an error too; the page's scripts and its policy are what is checked here.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                consoleErrors.Enqueue(message.Text);
        };
        page.PageError += (_, error) => consoleErrors.Enqueue(error);

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "sign-in");

        await page.GetByLabel("API key").FillAsync(StandaloneHost.KeyA);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test runs" })).ToBeVisibleAsync();
        await page.Locator("#new-run-workflow").SelectOptionAsync(workflowId);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/runs/wftestrun_"), new() { Timeout = Patience });
        var runId = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/runs/", StringComparison.Ordinal) + "#/runs/".Length)..]);
        await Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = Patience });
        // The final reload puts every result in the table.
        await Expect(page.Locator("tr[data-result-id]")).ToHaveCountAsync(3, new() { Timeout = Patience });

        var run = await Seed.GetAsync(api, $"/v1/workflows/tests/runs/{runId}");
        Assert.Equal("completed", run["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal(2, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, run["counts"]!["failed"]!.GetValue<int>());
        foreach (var kind in CountKinds)
        {
            var shown = await page.Locator($".run-header dd[data-count='{kind}']").TextContentAsync();
            Assert.Equal(run["counts"]![kind]!.GetValue<int>().ToString(), shown);
        }
        await Expect(page.Locator("#run-done")).ToHaveTextAsync("3 of 3 tests ended");
        await Expect(page.Locator("tr[data-verdict='failed']")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-verdict='passed']")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "run-page");

        // The hostile test name is shown as the text it is, never as markup.
        var failedLink = page.Locator("tr[data-verdict='failed'] a");
        await Expect(failedLink).ToHaveTextAsync(Seed.HostileName);
        await failedLink.ClickAsync();
        await Expect(page.Locator("#failure-code")).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.Locator("#expected pre")).ToHaveTextAsync("999");
        await Expect(page.Locator("#actual pre")).ToHaveTextAsync("120");
        await Expect(page.Locator("#result-verdict")).ToHaveTextAsync("failed");
        await Expect(page.GetByText("output-json-0", new() { Exact = true }).First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "result-detail");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        var listed = page.Locator($"tr[data-run-id='{runId}']");
        await Expect(listed).ToContainTextAsync(workflowName);
        await Expect(listed).ToContainTextAsync("completed");
        await Expect(listed.Locator(".segment-passed")).ToHaveAttributeAsync("data-count", "2");
        await Expect(listed.Locator(".segment-failed")).ToHaveAttributeAsync("data-count", "1");
        await ScreenshotAsync(page, "runs-list");

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        var foreign = requests.Where(url => !SameOrigin(url)).ToList();
        Assert.True(foreign.Count == 0, "Requests to other hosts: " + string.Join(", ", foreign));
        // The run page followed the live stream (not the polling fallback for hosts without it).
        Assert.Contains(requests, url => url.EndsWith($"/v1/workflows/tests/runs/{runId}/events?results=true", StringComparison.Ordinal));
        Assert.True(consoleErrors.IsEmpty, "Console errors (a CSP violation shows here): " + string.Join(" | ", consoleErrors));
    }

    [Fact]
    public async Task A_wrong_key_shows_the_sign_in_error_and_keeps_the_user_on_the_sign_in_page()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/runs");
        await page.GetByLabel("API key").FillAsync("rr_not_a_key_of_this_service_0000000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That API key was refused.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test runs" })).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('retab-runs.api-key')"));
    }

    [Fact]
    public async Task Signing_out_forgets_the_key_and_a_refused_key_returns_to_the_sign_in_page()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(StandaloneHost.KeyA);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test runs" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('retab-runs.api-key')"));

        // A key that stops working mid-session (revoked, mistyped in another tab) sends the user back with a message.
        await page.EvaluateAsync("() => sessionStorage.setItem('retab-runs.api-key', 'rr_revoked_key_000000000000000000000')");
        await page.ReloadAsync();
        await Expect(page.Locator("#sign-in-error")).ToContainTextAsync("refused");
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(fixture.ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
    }

    private bool SameOrigin(string url) =>
        url.StartsWith("data:", StringComparison.Ordinal)
        || new Uri(url).GetLeftPart(UriPartial.Authority) == fixture.Host.Address.GetLeftPart(UriPartial.Authority);

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

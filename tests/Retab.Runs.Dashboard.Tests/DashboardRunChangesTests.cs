using Microsoft.Playwright;
using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>The run page shows a completed run's regressions and fixes and links its previous run, and a rerun links the run it reruns.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardRunChangesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_run_page_shows_regressions_and_fixes_and_links_the_previous_run_and_the_rerun_run()
    {
        using var api = fixture.Host.RealClient();
        var workflowId = await Seed.WorkflowWithThreeTestsAsync(api, "Changes " + Guid.NewGuid().ToString("n")[..6]);
        var firstId = await RunToEndAsync(api, new JsonObject { ["workflow_id"] = workflowId });
        var secondId = await RunToEndAsync(api, new JsonObject { ["workflow_id"] = workflowId });
        var rerunId = await RunToEndAsync(api, new JsonObject
        {
            ["workflow_id"] = workflowId, ["scope"] = new JsonObject { ["type"] = "rerun", ["run_id"] = secondId, ["only"] = "failed" },
        });

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(StandaloneHost.KeyA);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test runs" })).ToBeVisibleAsync();

        await page.GotoAsync($"/#/runs/{secondId}");
        await Assertions.Expect(page.Locator("#run-regressions")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#run-fixes")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator($".run-header a[href='#/runs/{firstId}']")).ToHaveTextAsync(firstId);

        await page.GotoAsync($"/#/runs/{rerunId}");
        await Assertions.Expect(page.Locator($".run-header a[href='#/runs/{secondId}']")).ToHaveTextAsync(secondId);
        await Assertions.Expect(page.Locator(".run-header")).ToContainTextAsync("rerun (failed)");
        // The first rerun of that run has no previous run: no counts shown.
        await Assertions.Expect(page.Locator("#run-regressions")).ToHaveCountAsync(0);
    }

    private static async Task<string> RunToEndAsync(HttpClient api, JsonObject body)
    {
        var runId = (await Seed.PostAsync(api, "/v1/workflows/tests/runs", body))["id"]!.GetValue<string>();
        for (var i = 0; i < 600; i++)
        {
            var run = await Seed.GetAsync(api, $"/v1/workflows/tests/runs/{runId}");
            if (run["lifecycle"]!["status"]!.GetValue<string>() == "completed")
                return runId;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Run {runId} did not complete.");
    }
}

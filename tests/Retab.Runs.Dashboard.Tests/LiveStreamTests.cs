using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>The run page's own reading of the live stream: parsing, and resuming a dropped connection.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveStreamTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_parser_reads_events_split_anywhere_with_any_line_ending()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const { SseParser } = await import('/dashboard/sse.js');
              const events = [];
              const parser = new SseParser(e => events.push(e));
              for (const chunk of [': comment\r', '\nevent: progress\r\nid: a1\r\ndata: {"x"', ':1}\r\n\r\nevent: result\nda',
                                   'ta: line1\ndata:line2\nid: b2\n', '\nid: c3\nevent: heartbeat\ndata: {}\r\r\n', 'event: lost\ndata: {}\n'])
                parser.push(chunk);
              return JSON.stringify(events);
            }
            """);
        var events = JsonSerializer.Deserialize<SseEvent[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(
            [new("progress", "a1", "{\"x\":1}"), new("result", "b2", "line1\nline2"), new("heartbeat", "c3", "{}")],
            events);
    }

    [Fact]
    public async Task A_dropped_stream_is_resumed_with_Last_Event_ID_and_the_table_ends_exact()
    {
        using var api = fixture.Host.RealClient();
        var workflowId = await Seed.WorkflowWithThreeTestsAsync(api, "Slow totals", Seed.SlowTotalFunction);

        await using var context = await fixture.NewContextAsync();
        await context.AddInitScriptAsync($"sessionStorage.setItem('retab-runs.api-key', '{StandaloneHost.KeyA}')");
        var page = await context.NewPageAsync();
        var resumedWith = new ConcurrentQueue<string?>();
        string? cutAt = null;
        var connections = 0;
        await page.RouteAsync(new Regex("/events\\?results=true$"), async route =>
        {
            if (Interlocked.Increment(ref connections) > 1)
            {
                resumedWith.Enqueue(route.Request.Headers.GetValueOrDefault("last-event-id"));
                await route.ContinueAsync();
                return;
            }
            // The first connection breaks right after its first result: no final event, so the page must reconnect.
            var whole = await (await route.FetchAsync(new() { Timeout = 60_000 })).TextAsync();
            var result = whole.IndexOf("event: result", StringComparison.Ordinal);
            Assert.True(result >= 0, "The stream sent no result event: " + whole);
            var end = whole.IndexOf("\n\n", result, StringComparison.Ordinal) + 2;
            cutAt = EventId().Match(whole[whole.LastIndexOf("\n\n", result, StringComparison.Ordinal)..end]).Groups[1].Value;
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = whole[..end] });
        });

        // Started from the page, the run is still going when its page opens, so the page follows its stream.
        await page.GotoAsync("/#/runs");
        await page.Locator("#new-run-workflow").SelectOptionAsync(workflowId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/runs/wftestrun_"));
        var runId = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/runs/", StringComparison.Ordinal) + "#/runs/".Length)..]);
        await Assertions.Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("tr[data-result-id]")).ToHaveCountAsync(3);
        Assert.False(string.IsNullOrEmpty(cutAt));
        Assert.Equal(cutAt, Assert.Single(resumedWith));
        var run = await Seed.GetAsync(api, $"/v1/workflows/tests/runs/{runId}");
        Assert.Equal(run["counts"]!["passed"]!.GetValue<int>().ToString(), await page.Locator(".run-header dd[data-count='passed']").TextContentAsync());
    }

    public sealed record SseEvent(string Event, string? Id, string Data);

    [GeneratedRegex("^id: ?(.*)$", RegexOptions.Multiline)]
    private static partial Regex EventId();
}

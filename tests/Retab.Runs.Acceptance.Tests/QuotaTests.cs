using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Requests per key and runs in progress per organization: a 429 with <c>Retry-After</c>, and only for the one who exceeds.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429s_with_Retry_After_while_another_organization_is_served()
    {
        // One token a second and a bucket of 5: whatever this machine's speed, the flood gets 5 answers plus one per
        // second it lasts, and the rest are 429s.
        using var host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecondPerKey"] = "1",
            ["Limits:RequestBurstPerKey"] = "5",
        });
        var flooder = host.Client(StandaloneHost.KeyA);
        var other = host.Client(StandaloneHost.KeyB);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await flooder.Http.GetAsync("/v1/workflows");
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync());
        }));
        var served = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.InRange(served, 5, 5 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(40 - served, limited.Count);
        Assert.All(limited, a => Assert.True(a.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {a.Delta}"));
        new ApiClient.Response(limited[0].StatusCode, JsonNode.Parse(limited[0].Body), limited[0].Body, null)
            .ShouldFailWith(HttpStatusCode.TooManyRequests, "rate_limited", "Limits:RequestsPerSecondPerKey");

        (await other.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        (await flooder.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(1, 1, 1000)]
    [InlineData(5, 1, 200)]
    [InlineData(100, 10, 100)]
    [InlineData(250, 25, 100)]
    public void The_bucket_refills_at_the_configured_rate(int perSecond, int tokens, int periodMs)
    {
        var (refillTokens, period) = Retab.Runs.Gateway.Http.RequestRateLimits.Refill(perSecond);
        Assert.Equal(tokens, refillTokens);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), period);
    }

    [Fact]
    public async Task An_organization_at_its_runs_in_progress_quota_gets_429_until_one_ends()
    {
        using var host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxRunsInProgressPerOrganization"] = "2",
        });
        var api = host.Client(StandaloneHost.KeyA);
        var slow = await api.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 40; i++)
            await api.CreateTestAsync(slow, "block_slow", new JsonObject { ["i"] = i }, "done", Functions.Condition("equals", true));

        var first = await api.StartRunAsync(slow);
        var second = await api.StartRunAsync(slow);
        var third = await api.PostAsync("/v1/workflows/tests/runs", new { workflow_id = slow });
        third.ShouldFailWith(HttpStatusCode.TooManyRequests, "too_many_runs_in_progress", "Limits:MaxRunsInProgressPerOrganization");

        // Another organization has its own quota.
        var otherApi = host.Client(StandaloneHost.KeyB);
        var otherWorkflow = await otherApi.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await otherApi.CreateTestAsync(otherWorkflow, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        await otherApi.StartRunAsync(otherWorkflow);

        (await api.PostAsync($"/v1/workflows/tests/runs/{first}/cancel", null)).ShouldBe(HttpStatusCode.OK);
        await api.StartRunAsync(slow);
        await api.WaitForTerminalAsync(second, TimeSpan.FromMinutes(2));
    }
}

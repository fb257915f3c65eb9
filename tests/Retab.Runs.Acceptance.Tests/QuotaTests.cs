using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Requests per key and runs in progress per organization: a 429 with <c>Retry-After</c>, and only for the one who exceeds.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429s_with_Retry_After_while_another_organization_is_served()
    {
        using var host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecondPerKey"] = "5",
            ["Limits:RequestBurstPerKey"] = "10",
        });
        var flooder = host.Client(StandaloneHost.KeyA);
        var other = host.Client(StandaloneHost.KeyB);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => flooder.GetAsync("/v1/workflows")));
        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 10, 20);
        Assert.NotEmpty(limited);
        limited[0].ShouldFailWith(HttpStatusCode.TooManyRequests, "rate_limited", "Limits:RequestsPerSecondPerKey");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workflows");
        using var raw = await flooder.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        Assert.True(raw.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {raw.Headers.RetryAfter}");

        (await other.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        (await flooder.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
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

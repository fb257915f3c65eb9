using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Runs;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Models.Tests.ModelHarness;

namespace Retab.Runs.Models.Tests;

/// <summary>Retries, deadlines and the concurrency limit, as the real client meets them over HTTP.</summary>
public sealed class ResilienceTests
{
    private const string Config = "{'json_schema': {'type': 'object'}}";
    private const string Input = "{'input-json-0': {'type': 'json', 'data': 'x'}}";
    private const string Exists = "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}";

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_then_succeeds()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.TooManyRequests(retryAfterSeconds: 1), ModelAnswer.Text("{\"ok\": true}"));

        var clock = Stopwatch.StartNew();
        var outcome = await harness.RunAsync("extract", Config, Input, Exists);

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.Equal(2, harness.Server.ChatRequestCount);
        // The backoff alone would wait ~20 ms; the header says a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_keeps_failing_ends_in_ModelUnavailableException_with_the_status_code()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Models:MaxRetries"] = "3" });
        harness.Server.Chat = _ => ModelAnswer.ServerError(503);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => harness.RunAsync("extract", Config, Input, Exists));

        Assert.Equal(503, error.StatusCode);
        Assert.Contains("503", error.Message);
        Assert.Equal(4, harness.Server.ChatRequestCount); // the first try and 3 retries, and the OpenAI client's own retries are off
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task No_retries_configured_means_one_try(string maxRetries)
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Models:MaxRetries"] = maxRetries });
        harness.Server.Chat = _ => ModelAnswer.ServerError(503);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => harness.RunAsync("extract", Config, Input, Exists));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(1, harness.Server.ChatRequestCount);
    }

    [Fact]
    public async Task A_malformed_response_body_is_model_unavailable_not_a_verdict()
    {
        await using var harness = await StartAsync();
        harness.Server.Chat = _ => ModelAnswer.MalformedBody();

        await Assert.ThrowsAsync<ModelUnavailableException>(() => harness.RunAsync("extract", Config, Input, Exists));
    }

    [Fact]
    public async Task A_slow_server_and_a_cancelled_test_end_promptly()
    {
        await using var harness = await StartAsync();
        harness.Server.Chat = _ => ModelAnswer.Text("{}").After(TimeSpan.FromSeconds(30));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.RunAsync("extract", Config, Input, Exists, deadline.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_retry_wait_never_outlives_the_deadline()
    {
        await using var harness = await StartAsync();
        harness.Server.Chat = _ => ModelAnswer.TooManyRequests(retryAfterSeconds: 60);
        // Long enough for a cold first call to reach the server on a busy machine, far shorter than the Retry-After.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.RunAsync("extract", Config, Input, Exists, deadline.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(1, harness.Server.ChatRequestCount);
    }

    [Fact]
    public async Task A_try_longer_than_the_timeout_is_retried_then_reported_unavailable()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Models:Timeout"] = "00:00:00.200", ["Models:MaxRetries"] = "1" });
        harness.Server.Chat = _ => ModelAnswer.Text("{}").After(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ModelUnavailableException>(() => harness.RunAsync("extract", Config, Input, Exists));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(2, harness.Server.ChatRequestCount);
    }

    [Fact]
    public async Task The_server_never_sees_more_calls_in_flight_than_MaxConcurrency()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Models:MaxConcurrency"] = "3" });
        harness.Server.Chat = _ => ModelAnswer.Text("{}").After(TimeSpan.FromMilliseconds(100));

        var runs = Enumerable.Range(0, 12).Select(_ => harness.RunAsync("extract", Config, Input, Exists));
        var outcomes = await Task.WhenAll(runs);

        Assert.All(outcomes, o => Assert.Equal(Verdict.Passed, o.Verdict));
        Assert.Equal(12, harness.Server.ChatRequestCount);
        Assert.Equal(3, harness.Server.MaxInFlight);
    }

    [Fact]
    public async Task Without_Models_BaseUrl_the_model_blocks_are_unavailable_and_say_what_to_set()
    {
        await using var services = BuildServices(new Dictionary<string, string?>());
        Assert.Null(services.GetService<IChatClient>());

        foreach (var blockType in new[] { "extract", "classifier", "split" })
        {
            var outcome = await services.GetRequiredService<TestExecution>().RunAsync(blockType, Request(Config, Input), Assertion(Exists), CancellationToken.None);

            Assert.Equal(Verdict.Blocked, outcome.Verdict);
            Assert.Equal(TestExecution.BlockTypeUnavailable, outcome.AssertionResult.Failure!.Code);
            Assert.Contains("Models__BaseUrl", outcome.AssertionResult.Failure.Message);
        }
    }
}

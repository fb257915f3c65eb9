using Retab.Runs.Messaging.Health;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The watchdog's rule (every service's, tested here with the orchestrator's): stuck means not consuming for longer than the limit while the broker answers.</summary>
public sealed class EndpointStallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public void An_endpoint_not_consuming_past_the_limit_while_the_broker_answers_is_stuck()
    {
        var stalls = new EndpointStalls(Limit);

        Assert.Empty(stalls.Observe(T0, brokerAnswers: true, ["execute"]));
        Assert.Empty(stalls.Observe(T0 + Limit, brokerAnswers: true, ["execute"]));
        Assert.Equal(["execute"], stalls.Observe(T0 + Limit + TimeSpan.FromSeconds(1), brokerAnswers: true, ["execute", "cancellations"]));
    }

    [Fact]
    public void The_limit_counts_from_when_the_broker_answers_again_not_from_when_it_went_down()
    {
        var stalls = new EndpointStalls(Limit);

        Assert.Empty(stalls.Observe(T0, brokerAnswers: false, ["execute"]));
        Assert.Empty(stalls.Observe(T0 + TimeSpan.FromMinutes(10), brokerAnswers: false, ["execute"]));
        var back = T0 + TimeSpan.FromMinutes(11);
        Assert.Empty(stalls.Observe(back, brokerAnswers: true, ["execute"]));
        Assert.Empty(stalls.Observe(back + Limit, brokerAnswers: true, ["execute"]));
        Assert.Equal(["execute"], stalls.Observe(back + Limit + TimeSpan.FromSeconds(5), brokerAnswers: true, ["execute"]));
    }

    [Fact]
    public void An_endpoint_that_consumes_again_starts_over()
    {
        var stalls = new EndpointStalls(Limit);

        stalls.Observe(T0, brokerAnswers: true, ["execute"]);
        Assert.Empty(stalls.Observe(T0 + TimeSpan.FromSeconds(60), brokerAnswers: true, []));
        Assert.Empty(stalls.Observe(T0 + TimeSpan.FromSeconds(61), brokerAnswers: true, ["execute"]));
        Assert.Empty(stalls.Observe(T0 + TimeSpan.FromSeconds(140), brokerAnswers: true, ["execute"]));
        Assert.Equal(["execute"], stalls.Observe(T0 + TimeSpan.FromSeconds(152), brokerAnswers: true, ["execute"]));
    }
}

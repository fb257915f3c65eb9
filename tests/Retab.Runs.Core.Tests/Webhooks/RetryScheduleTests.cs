using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Core.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = new(TimeSpan.FromSeconds(5), TimeSpan.FromHours(2), TimeSpan.FromHours(24));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(6, 160)]
    [InlineData(11, 5120)]
    [InlineData(12, 7200)]
    [InlineData(40, 7200)]
    public void Without_jitter_the_delay_doubles_from_the_base_up_to_the_cap(int attemptsMade, double seconds)
    {
        Assert.Equal(T0.AddSeconds(seconds), Schedule.NextAttempt(T0, attemptsMade, T0, jitter: 0.5));
    }

    [Theory]
    [InlineData(0.0, 4.0)]
    [InlineData(0.999999, 6.0)]
    public void Jitter_spreads_a_delay_by_at_most_a_fifth_either_way(double jitter, double seconds)
    {
        var next = Schedule.NextAttempt(T0, 1, T0, jitter)!.Value;
        Assert.Equal(seconds, (next - T0).TotalSeconds, precision: 2);
    }

    [Fact]
    public void Retries_stop_once_the_next_would_be_more_than_a_day_after_the_delivery_was_created()
    {
        var now = T0;
        var attempts = 0;
        DateTimeOffset? next = now;
        while (next is { } due)
        {
            now = due;
            attempts++;
            next = Schedule.NextAttempt(T0, attempts, now, jitter: 0.5);
        }

        Assert.InRange(now - T0, TimeSpan.FromHours(22), TimeSpan.FromHours(24));
        Assert.InRange(attempts, 15, 25);
        Assert.Null(Schedule.NextAttempt(T0, 3, T0.AddHours(23.999), jitter: 0.5));
    }

    [Fact]
    public void A_delivery_not_yet_attempted_is_due_at_once()
    {
        Assert.Equal(T0, Schedule.NextAttempt(T0, 0, T0, jitter: 0.9));
    }
}

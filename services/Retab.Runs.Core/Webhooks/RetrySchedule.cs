namespace Retab.Runs.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again: after <see cref="BaseDelay"/> × 2^(attempts − 1), capped at
/// <see cref="MaxDelay"/>, spread by ±<see cref="JitterRatio"/> so receivers coming back from an outage are not hit
/// by every delivery at the same instant; never after <see cref="GiveUpAfter"/> from the delivery's creation.
/// </summary>
public sealed record RetrySchedule(TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan GiveUpAfter, double JitterRatio = 0.2)
{
    /// <summary>
    /// The time of the next attempt after <paramref name="attemptsMade"/> failed ones (the last at <paramref name="now"/>),
    /// or null to give up. <paramref name="jitter"/> is a uniform sample of [0, 1).
    /// </summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset createdAt, int attemptsMade, DateTimeOffset now, double jitter)
    {
        if (attemptsMade < 1)
            return now;
        var exponent = Math.Min(attemptsMade - 1, 30);
        var delayMs = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        delayMs *= 1 + JitterRatio * (2 * jitter - 1);
        var next = now + TimeSpan.FromMilliseconds(Math.Max(1, delayMs));
        return next - createdAt > GiveUpAfter ? null : next;
    }
}

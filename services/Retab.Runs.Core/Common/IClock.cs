namespace Retab.Runs.Core.Common;

/// <summary>UTC time truncated to milliseconds, so timestamps round-trip through every store unchanged.</summary>
public static class Clock
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}

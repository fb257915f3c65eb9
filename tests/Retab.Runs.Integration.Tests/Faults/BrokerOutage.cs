using System.Diagnostics;
using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>One stop and start of the real broker, timed. The broker is started again whatever happens in between.</summary>
public sealed record BrokerOutage(TimeSpan Stopping, TimeSpan Down, TimeSpan Starting)
{
    /// <summary>Stops the broker, keeps it down for <paramref name="down"/>, starts it; returns once it answers again.</summary>
    public static async Task<BrokerOutage> RunAsync(BrokerFixture broker, ITestOutputHelper output, TimeSpan down)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan stopping;
        try
        {
            await broker.StopBrokerAsync(output);
            stopping = clock.Elapsed;
            await Task.Delay(down);
        }
        finally
        {
            clock.Restart();
            await broker.StartBrokerAsync(output);
        }
        return new BrokerOutage(stopping, down, clock.Elapsed);
    }

    public override string ToString() =>
        $"stopping took {Stopping.TotalSeconds:0.0} s, down {Down.TotalSeconds:0} s, starting took {Starting.TotalSeconds:0.0} s";
}

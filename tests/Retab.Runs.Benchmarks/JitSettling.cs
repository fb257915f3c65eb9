using System.Diagnostics;
using System.Runtime;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// Waits until the JIT of this process has stopped compiling. .NET compiles a hot method twice more after its
/// first calls (tiered compilation with PGO) on one background thread, and a run timed while it is still at work
/// pays for it: a quarter of the CPU of an embedded run went to re-JIT. The untimed run before does the calling;
/// this waits for the compiling it queued. Only meaningful for services hosted in this process.
/// </summary>
public static class JitSettling
{
    public static async Task<(long Compiled, TimeSpan Waited)> WaitAsync(TimeSpan quietFor, TimeSpan atMost)
    {
        var clock = Stopwatch.StartNew();
        var start = JitInfo.GetCompiledMethodCount();
        var last = start;
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < atMost)
        {
            await Task.Delay(100);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != last)
            {
                last = now;
                quietSince = clock.Elapsed;
            }
            else if (clock.Elapsed - quietSince >= quietFor)
                break;
        }
        return (last - start, clock.Elapsed);
    }
}

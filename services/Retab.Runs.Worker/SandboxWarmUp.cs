using Microsoft.Extensions.Hosting;
using Retab.Runs.Blocks;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Worker;

/// <summary>
/// Runs one function before the worker takes tests (it starts before the bus): on a cold process the first function
/// spends seconds compiling Jint, which would count against its time limit, and on a busy machine could look to the
/// sandbox's watchdog like a stuck function. A sandbox that cannot run JavaScript fails the start instead of every test.
/// </summary>
internal sealed class SandboxWarmUp(IEnumerable<IBlockExecutor> executors) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        executors.OfType<FunctionBlockExecutor>().FirstOrDefault()?.WarmUpAsync(cancellationToken) ?? Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

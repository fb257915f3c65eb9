namespace Retab.Runs.Orchestrator.Tests;

/// <summary>A test class of the run saga: each test gets an orchestrator of its own (<see cref="SagaHarness"/>).</summary>
public abstract class SagaTests : IAsyncLifetime
{
    internal SagaHarness Saga { get; private set; } = null!;

    public async Task InitializeAsync() => Saga = await SagaHarness.StartAsync();

    public async Task DisposeAsync() => await Saga.DisposeAsync();
}

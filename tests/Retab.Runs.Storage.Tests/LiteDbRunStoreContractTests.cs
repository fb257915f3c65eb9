using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>The store contract on LiteDB: a real database file in a temp folder of its own, deleted after each test.</summary>
public class LiteDbRunStoreContractTests : RunStoreContract
{
    private readonly TempDatabaseFile _file = new();
    private LiteDbContext? _db;

    /// <summary>Shared connection mode (several processes on one file) instead of the default direct mode.</summary>
    protected virtual bool Shared => false;

    protected string DatabasePath => _file.Path;

    protected override Task<StoreSet> OpenAsync()
    {
        _db = new LiteDbContext(DatabasePath, Shared);
        return Task.FromResult(new StoreSet(
            new LiteDbWorkflowStore(_db),
            new LiteDbTestStore(_db),
            new LiteDbRunStore(_db),
            new LiteDbIdempotencyStore(_db)));
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _file.Delete();

    [Fact]
    public void The_store_is_a_real_file_in_a_folder_of_its_own()
    {
        Assert.True(File.Exists(DatabasePath), $"{DatabasePath} does not exist");
        Assert.StartsWith(Path.GetTempPath(), _file.Folder);
    }
}

/// <summary>The same contract with LiteDB in shared mode, as used when gateway, orchestrator and worker run as separate processes on one file.</summary>
public sealed class LiteDbSharedRunStoreContractTests : LiteDbRunStoreContractTests
{
    protected override bool Shared => true;

    [Fact]
    public async Task Two_contexts_on_one_shared_file_keep_counts_exact_under_concurrent_events()
    {
        const int total = 200;
        var (run, slots) = await QueueRunAsync(total);
        using var second = new LiteDbContext(DatabasePath, shared: true);
        var stores = new[] { Runs, new LiteDbRunStore(second) };
        var random = new Random(3);
        var deliveries = slots
            .SelectMany((s, i) => new SlotEvent[] { Started(s), Finished(s, (Verdict)(i % 3)) })
            .SelectMany(e => Enumerable.Repeat(e, 2))
            .OrderBy(_ => random.Next())
            .Chunk(10)
            .ToList();
        var queue = QueueOf(deliveries);

        await InParallelAsync(16, async worker =>
        {
            var applied = 0;
            while (queue.TryDequeue(out var batch))
            {
                await stores[worker % 2].ApplySlotEventsAsync(batch, T0.AddSeconds(5));
                applied++;
            }
            return applied;
        });

        var stored = await RunAsync(run);
        Assert.Equal(new RunCounts(Completed: total, Passed: 67, Failed: 67, Blocked: 66), stored.Counts);
        await AssertCountsEqualSlotsAsync(run);
    }
}

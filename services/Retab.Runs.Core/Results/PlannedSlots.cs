using System.Runtime.CompilerServices;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Results;

/// <summary>
/// The slots a store creates when it queues a planned run (<see cref="Stores.IRunStore.QueuePlannedRunAsync"/>),
/// produced a chunk at a time so a 100,000-test run is never held whole: the store reads <see cref="ReadChunksAsync"/>
/// once, storing each chunk as it comes, then takes <see cref="InputsFingerprint"/>, which the reading computed.
/// </summary>
public sealed class PlannedSlots
{
    private readonly bool _fingerprinted;
    private Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<TestResult>>> _chunks = _ => AsyncEnumerable.Empty<IReadOnlyList<TestResult>>();
    private string? _inputsFingerprint;
    private PlannedSlots? _source;
    private bool _read;

    private PlannedSlots(bool fingerprinted) => _fingerprinted = fingerprinted;

    /// <summary>
    /// The slots of the tests <paramref name="tests"/> yields, chunk by chunk in ascending test-id order, with the
    /// inputs fingerprint of those tests (equal to <see cref="RunPlan.InputsFingerprint"/> of the same tests).
    /// </summary>
    public static PlannedSlots Of(TestRun run, Workflow workflow, IAsyncEnumerable<IReadOnlyList<WorkflowTest>> tests, DateTimeOffset at, TimeSpan executionDeadline)
    {
        var planned = new PlannedSlots(fingerprinted: true);
        planned._chunks = cancellationToken => planned.StreamAsync(run, workflow, tests, at, executionDeadline, cancellationToken);
        return planned;
    }

    /// <summary>Slots made already (a plan held in memory): stored in chunks; the run keeps the inputs fingerprint it was created with.</summary>
    public static PlannedSlots Of(IEnumerable<TestResult> slots) => new(fingerprinted: false)
    {
        _chunks = _ => slots.Chunk(ResultSlots.ChunkSize).Select(chunk => (IReadOnlyList<TestResult>)chunk).ToAsyncEnumerable(),
    };

    /// <summary>
    /// The same slots, each chunk passed through <paramref name="eachChunk"/> as it is read, with the same inputs
    /// fingerprint: for a store that stands in front of another (a test writing slots the way an older version did).
    /// </summary>
    public PlannedSlots Select(Func<IReadOnlyList<TestResult>, IReadOnlyList<TestResult>> eachChunk) => new(_fingerprinted)
    {
        _source = this,
        _chunks = cancellationToken => ReadChunksAsync(cancellationToken).Select(eachChunk),
    };

    /// <summary>How many slots were read so far.</summary>
    public int Count { get; private set; }

    /// <summary>The slots, a chunk at a time; read them once.</summary>
    public async IAsyncEnumerable<IReadOnlyList<TestResult>> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_read)
            throw new InvalidOperationException("Planned slots are read once.");
        _read = true;
        await foreach (var chunk in _chunks(cancellationToken).WithCancellation(cancellationToken))
        {
            Count += chunk.Count;
            yield return chunk;
        }
    }

    /// <summary>
    /// The inputs fingerprint of the tests read, once every chunk was read; null when the slots were made from a plan
    /// held in memory (the run keeps the fingerprint it has).
    /// </summary>
    public string? InputsFingerprint => !_fingerprinted ? null
        : _source is not null ? _source.InputsFingerprint
        : _inputsFingerprint ?? throw new InvalidOperationException("The inputs fingerprint is known once every chunk was read.");

    private async IAsyncEnumerable<IReadOnlyList<TestResult>> StreamAsync(
        TestRun run, Workflow workflow, IAsyncEnumerable<IReadOnlyList<WorkflowTest>> tests,
        DateTimeOffset at, TimeSpan executionDeadline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var fingerprint = new InputsFingerprintBuilder();
        await foreach (var chunk in tests.WithCancellation(cancellationToken))
        {
            foreach (var test in chunk)
                fingerprint.Add(test.Id, test.HandleInputsFingerprint);
            yield return ResultSlots.Create(run, workflow, chunk, at, executionDeadline).ToList();
        }
        _inputsFingerprint = fingerprint.Current();
    }
}

using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Flakiness;

/// <summary>
/// What results must share to be compared for flakiness: the test's validity and input fingerprints. A test's validity is
/// its block's config, as its freshness reports it (<see cref="Freshness.FreshnessRules.ForTest"/>): the block runs alone
/// on frozen inputs, so editing another block of the draft neither makes the test stale nor starts a new window. A changed
/// config or changed inputs do: a result computed from anything else says nothing about whether the test flips now. The
/// assertion is deliberately not part of it (issue 15), so results stay comparable across an edited assertion.
/// </summary>
public sealed record FlakyWindowKey(string BlockConfigFingerprint, string HandleInputsFingerprint)
{
    /// <summary>One hash of both, stored next to each result so a store can select a window without reading bodies.</summary>
    public string Fingerprint => CanonicalJson.FingerprintOf(BlockConfigFingerprint, HandleInputsFingerprint);

    public static FlakyWindowKey Of(ResultFingerprints fingerprints) =>
        new(fingerprints.BlockConfigFingerprint, fingerprints.HandleInputsFingerprint);

    /// <summary>The key a run of <paramref name="test"/> would produce now; null when its block is no longer in the draft.</summary>
    public static FlakyWindowKey? Current(WorkflowTest test, Workflow? workflow) =>
        workflow?.FindBlock(test.TargetBlockId) is { } block
            ? new FlakyWindowKey(block.ConfigFingerprint, test.HandleInputsFingerprint)
            : null;
}

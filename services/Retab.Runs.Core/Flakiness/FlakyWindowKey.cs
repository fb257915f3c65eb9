using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Flakiness;

/// <summary>
/// What results must share to be compared for flakiness: the validity (workflow draft and tested block's config) and
/// the test's inputs. The assertion is deliberately not part of it (issue 15): results stay comparable across an edited
/// assertion. A result computed from anything else says nothing about whether the current test flips, so a changed
/// config or changed inputs start a new window.
/// </summary>
public sealed record FlakyWindowKey(string WorkflowDraftFingerprint, string BlockConfigFingerprint, string HandleInputsFingerprint)
{
    /// <summary>One hash of the three, stored next to each result so a store can select a window without reading bodies.</summary>
    public string Fingerprint => CanonicalJson.FingerprintOf(WorkflowDraftFingerprint, BlockConfigFingerprint, HandleInputsFingerprint);

    public static FlakyWindowKey Of(ResultFingerprints fingerprints) =>
        new(fingerprints.WorkflowDraftFingerprint, fingerprints.BlockConfigFingerprint, fingerprints.HandleInputsFingerprint);

    /// <summary>The key a run of <paramref name="test"/> would produce now; null when its block is no longer in the draft.</summary>
    public static FlakyWindowKey? Current(WorkflowTest test, Workflow? workflow) =>
        workflow?.FindBlock(test.TargetBlockId) is { } block
            ? new FlakyWindowKey(workflow.DraftFingerprint, block.ConfigFingerprint, test.HandleInputsFingerprint)
            : null;
}

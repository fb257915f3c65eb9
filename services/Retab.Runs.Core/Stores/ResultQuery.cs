using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>Filters of a run's results (<c>GET /v1/workflows/tests/results</c>, the live run stream).</summary>
/// <param name="Ended">True: only results that ended (completed, error, cancelled); false: only those still active.</param>
public sealed record ResultQuery(string RunId, SlotStatus? Status = null, Verdict? Verdict = null, bool? Ended = null);

using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>Filters of <c>GET /v1/workflows/tests/results</c>.</summary>
public sealed record ResultQuery(string RunId, SlotStatus? Status = null, Verdict? Verdict = null);

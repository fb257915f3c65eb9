using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Flakiness;

/// <summary>The verdict of one completed result: all the flaky rule reads of it, so a store need not load outputs.</summary>
public sealed record VerdictSample(string ResultId, Verdict Verdict, DateTimeOffset CompletedAt);

using Retab.Runs.Core.Flakiness;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// Whether a test's verdict flipped across its latest comparable results (<see cref="FlakyRule"/>): <c>flips</c> verdict
/// changes among <c>window</c> results. <c>{false, 0, 0}</c> for a test with no completed result under its current
/// config and inputs.
/// </summary>
public sealed record FlakyResponse(bool IsFlaky, int Flips, int Window)
{
    public static FlakyResponse From(FlakyReport report) => new(report.IsFlaky, report.Flips, report.Window);
}

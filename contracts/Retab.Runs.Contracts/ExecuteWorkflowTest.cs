using System.Text.Json;

namespace Retab.Runs.Contracts;

/// <summary>
/// One test to execute. It carries a complete snapshot (block, inputs, assertion) so that
/// workers never need a database: they run untrusted user code and hold no credentials.
/// </summary>
public sealed record ExecuteWorkflowTest
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string TestId { get; init; }
    public required string ResultId { get; init; }
    public int Attempt { get; init; } = 1;
    public required BlockSnapshot Block { get; init; }

    /// <summary><c>{handle_id: {type: "json", data} | {type: "file", document}}</c>, exactly as saved on the test.</summary>
    public required JsonElement HandleInputs { get; init; }

    /// <summary>The test's assertion, in its public JSON shape.</summary>
    public required JsonElement Assertion { get; init; }

    public required ExecutionFingerprints Fingerprints { get; init; }
    public DateTimeOffset Deadline { get; init; }
}

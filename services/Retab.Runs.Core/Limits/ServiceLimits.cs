namespace Retab.Runs.Core.Limits;

/// <summary>
/// Every size and rate limit of the service, in one table (section <c>Limits</c>). Each is enforced at the edge — the
/// gateway answers 413 or 422 naming the setting — and again where the data is kept: the worker before it reports an
/// output, the store before it writes a document. The defaults sit below every layer's own ceiling (16 MB per stored
/// document, 64 levels in a default System.Text.Json reader), so a value the edge accepts can always be stored, sent
/// and read back.
/// </summary>
public sealed class ServiceLimits
{
    public const string Section = "Limits";

    /// <summary>
    /// The depth the store and bus serializers are configured for. User JSON is capped at
    /// <see cref="MaxJsonDepth"/>, which may not exceed <see cref="MaxJsonDepthCeiling"/>: the envelope around it (a
    /// result wraps an output in four levels, a message in a few more) must still fit, and MongoDB stops at 100.
    /// </summary>
    public const int InternalJsonDepth = 128;

    public const int MaxJsonDepthCeiling = 64;

    /// <summary>
    /// A stored document (test, result, run, workflow) may not serialize larger than this: LiteDB and MongoDB both
    /// refuse documents over 16 MB, and a refused write must be the store's clear answer, not a driver exception.
    /// </summary>
    public const int MaxStoredDocumentBytes = 15 * 1024 * 1024;

    /// <summary>Largest JSON request body, in bytes (file uploads are bounded by <c>Files:MaxBytes</c> instead). Over it: 413 <c>request_too_large</c>.</summary>
    public long MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Longest string anywhere in a request body, in characters. Over it: 422 <c>string_too_long</c>.</summary>
    public int MaxStringLength { get; set; } = 1024 * 1024;

    /// <summary>Deepest nesting of a request body or a block output, counted from the body's root. Deeper: 422 <c>json_too_deep</c>, or a blocked <c>output_too_deep</c> test.</summary>
    public int MaxJsonDepth { get; set; } = 48;

    /// <summary>A test's inputs, serialized as JSON. Larger: 422 <c>input_too_large</c>. The input is stored with the test and again in each result's snapshot.</summary>
    public int MaxTestInputBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>A block's outputs, serialized as JSON. Larger: the test ends blocked with <c>output_too_large</c>, checked before anything is serialized or sent.</summary>
    public int MaxOutputBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How many schema nodes a <c>json_schema_valid</c> schema (or a block's <c>json_schema</c>) may expand to once
    /// every <c>$ref</c> is followed. More: 422 <c>schema_too_complex</c>; compiling an exponential schema is never tried.
    /// </summary>
    public int MaxSchemaNodes { get; set; } = 10_000;

    /// <summary>Tests one run may plan. More: 422 <c>too_many_tests</c>.</summary>
    public int MaxTestsPerRun { get; set; } = 100_000;

    /// <summary>Runs of one organization that may be pending, queued or running at once; one more: 429 <c>too_many_runs_in_progress</c>. 0 = no limit.</summary>
    public int MaxRunsInProgressPerOrganization { get; set; } = 100;

    /// <summary>Sustained requests per second per API key (token bucket); 0 = no limit. Over it: 429 with <c>Retry-After</c>.</summary>
    public int RequestsPerSecondPerKey { get; set; } = 100;

    /// <summary>Requests a key may send at once above the sustained rate (the bucket's size).</summary>
    public int RequestBurstPerKey { get; set; } = 200;

    /// <summary>Throws at start when a setting cannot be honoured, so a bad value fails the deployment, not a request.</summary>
    public void Validate()
    {
        if (MaxJsonDepth is < 8 or > MaxJsonDepthCeiling)
            throw new ArgumentOutOfRangeException(nameof(MaxJsonDepth), MaxJsonDepth, $"Limits:MaxJsonDepth must be between 8 and {MaxJsonDepthCeiling}.");
        // A result keeps its block's config and its test's inputs (each at most one request) next to the output.
        if (MaxRequestBytes + MaxOutputBytes > MaxStoredDocumentBytes || MaxTestInputBytes > MaxRequestBytes)
            throw new ArgumentOutOfRangeException(nameof(MaxOutputBytes), MaxOutputBytes,
                $"Limits: MaxRequestBytes plus MaxOutputBytes must stay under {MaxStoredDocumentBytes} bytes, the largest document the store keeps, and MaxTestInputBytes under MaxRequestBytes.");
        if (MaxRequestBytes < 1024 || MaxStringLength < 1 || MaxSchemaNodes < 1 || MaxTestsPerRun < 1)
            throw new ArgumentOutOfRangeException(nameof(ServiceLimits), "Limits: MaxRequestBytes must be at least 1024; MaxStringLength, MaxSchemaNodes and MaxTestsPerRun at least 1.");
        if (MaxRunsInProgressPerOrganization < 0 || RequestsPerSecondPerKey < 0 || RequestBurstPerKey < 1)
            throw new ArgumentOutOfRangeException(nameof(ServiceLimits), "Limits: run and request quotas may not be negative; RequestBurstPerKey must be at least 1.");
    }
}

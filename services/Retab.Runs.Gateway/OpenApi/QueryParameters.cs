using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.OpenApi;

/// <summary>The query parameters of the API, once each: the routes list the ones they read.</summary>
public static class QueryParameters
{
    /// <summary>Every list (DESIGN §3.1): <see cref="Http.QueryReader.Page"/>.</summary>
    public static readonly QueryParameter[] Page =
    [
        new("limit", "How many items a page holds.", QueryValueKind.Integer, Minimum: 1, Maximum: PageRequest.MaxLimit, Default: "10"),
        new("before", "A resource id: the page that ends right before it (`list_metadata.before` of the page after). Not with `after`."),
        new("after", "A resource id: the page that starts right after it (`list_metadata.after` of the page before). Not with `before`."),
        new("order", "Creation order.", Values: ["asc", "desc"], Default: "desc"),
    ];

    public static readonly QueryParameter WorkflowId = new("workflow_id", "Only what belongs to this workflow.");

    public static readonly QueryParameter RequiredWorkflowId = WorkflowId with { Required = true, Description = "The workflow whose tests to list (404 when it does not exist)." };

    public static readonly QueryParameter TargetBlockId = new("target_block_id", "Only tests (or runs) targeting this block.");

    public static readonly QueryParameter Flaky = new("flaky",
        "Only tests that are (`true`) or are not (`false`) flaky: their verdict changed across their latest `Flaky:Window` completed results "
        + "under the current block config and inputs. The page is filled by reading on through the workflow's tests, so a "
        + "page of rare matches costs a read of every test scanned.", QueryValueKind.Boolean);

    public static readonly QueryParameter TestId = new("test_id", "Only runs of this single test.");

    public static readonly QueryParameter RunStatus = new("status", "Only runs in this lifecycle status.", Values: SchemaValues.Of<RunStatus>());

    public static readonly QueryParameter ExcludeRunStatus = new("exclude_status", "Leaves out runs in this lifecycle status.", Values: SchemaValues.Of<RunStatus>());

    public static readonly QueryParameter TriggerType = new("trigger_type", "Only runs started this way.", Values: SchemaValues.TriggerTypes);

    public static readonly QueryParameter FromDate = new("from_date", "Only runs created at or after this time: ISO-8601, a date (`2026-01-31`) or a date-time; UTC when no offset is given.");

    public static readonly QueryParameter ToDate = new("to_date", "Only runs created at or before this time: ISO-8601, a date (`2026-01-31`) or a date-time; UTC when no offset is given.");

    public static readonly QueryParameter RunId = new("run_id", "The run whose results to list (404 when it does not exist).", Required: true);

    public static readonly QueryParameter ResultStatus = new("status", "Only results in this lifecycle status.", Values: SchemaValues.Of<SlotStatus>());

    public static readonly QueryParameter WithResults = new("results",
        "Also send a `result` event (the result resource) for every test that ended, before the final event.", QueryValueKind.Boolean, Default: "false");

    public static readonly QueryParameter Verdict = new("verdict", "Only completed results with this verdict.", Values: SchemaValues.Of<Verdict>());

    public static readonly QueryParameter Baseline = new("baseline",
        "`previous` (the latest completed run of the same workflow and scope before this one) or the id of the run to compare with.", Default: "previous");

    public static readonly QueryParameter Change = new("change", "Only tests that changed this way.", Values: Core.Comparisons.TestChanges.Names);

    public static readonly QueryParameter OrganizationId = new("organization_id", "Only the keys of this organization.");

    /// <summary>The parameters a signed URL carries (<see cref="Files.UrlSigner"/>); a URL changed in any of them is a 403.</summary>
    public static readonly QueryParameter[] Signature =
    [
        new("organization_id", "The file's organization, as signed.", Required: true),
        new("expires", "When the URL stops working, in Unix seconds, as signed.", QueryValueKind.Integer, Required: true),
        new("signature", "The URL's signature.", Required: true),
    ];
}

using Microsoft.Extensions.Options;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Builds the read-time fields of runs and tests (freshness, flakiness, latest summaries) from the current draft.</summary>
public sealed class ReadModels(IWorkflowStore workflows, RunPlanLoader scopes, IRunStore runs, IOptions<FlakyOptions> flakyOptions)
{
    public async Task<RunResponse> RunAsync(TestRun run, CancellationToken cancellationToken) =>
        (await RunsAsync([run], cancellationToken))[0];

    /// <summary>
    /// Freshness needs the current draft and, only when a test of the workflow changed since the run was created,
    /// the inputs fingerprint of the run's scope selected again from the current tests, read a chunk at a time (never
    /// the whole workflow at once). Both are computed once per workflow (and scope) of the page.
    /// </summary>
    public async Task<IReadOnlyList<RunResponse>> RunsAsync(IReadOnlyList<TestRun> page, CancellationToken cancellationToken)
    {
        var drafts = new Dictionary<string, Workflow?>();
        var inputsOf = new Dictionary<(string WorkflowId, string ScopeKey), string?>();
        var responses = new List<RunResponse>(page.Count);
        foreach (var run in page)
        {
            if (!drafts.TryGetValue(run.WorkflowId, out var workflow))
                drafts[run.WorkflowId] = workflow = await workflows.GetAsync(run.OrganizationId, run.WorkflowId, cancellationToken);

            string? inputsFingerprint = null;
            // A pending run has no fingerprint yet (FreshnessRules does not compare it): nothing to read.
            if (workflow is not null && (workflow.TestsChangedAt < run.CreatedAt || run.Status == RunStatus.Pending))
                inputsFingerprint = run.InputsFingerprint;
            else if (workflow is not null)
            {
                var key = (workflow.Id, run.Scope.Key);
                if (!inputsOf.TryGetValue(key, out inputsFingerprint))
                    inputsOf[key] = inputsFingerprint = await scopes.CurrentInputsFingerprintAsync(run.OrganizationId, workflow, run.Scope, cancellationToken);
            }
            responses.Add(RunResponse.From(run, FreshnessRules.ForRun(run, workflow?.DraftFingerprint, inputsFingerprint)));
        }
        return responses;
    }

    public async Task<TestResponse> TestAsync(WorkflowTest test, Workflow? workflow, CancellationToken cancellationToken) =>
        await TestAsync(test, workflow, await FlakyAsync(test, workflow, cancellationToken), cancellationToken);

    /// <param name="flaky">The test's flakiness, computed already by the caller (the <c>flaky</c> filter does, to skip non-matches cheaply).</param>
    public async Task<TestResponse> TestAsync(WorkflowTest test, Workflow? workflow, FlakyReport flaky, CancellationToken cancellationToken)
    {
        var latest = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, null, cancellationToken);
        var passing = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, Verdict.Passed, cancellationToken);
        var failing = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, Verdict.Failed, cancellationToken);
        return TestResponse.From(test, workflow, latest, passing, failing, flaky);
    }

    /// <summary>One bounded query: the verdicts of the test's latest results under its current config and inputs.</summary>
    public async Task<FlakyReport> FlakyAsync(WorkflowTest test, Workflow? workflow, CancellationToken cancellationToken)
    {
        if (FlakyWindowKey.Current(test, workflow) is not { } key)
            return FlakyReport.None;
        var window = flakyOptions.Value.Window;
        var samples = await runs.ListRecentVerdictsAsync(test.OrganizationId, test.Id, key, window, cancellationToken);
        return FlakyRule.Evaluate(samples, window);
    }
}

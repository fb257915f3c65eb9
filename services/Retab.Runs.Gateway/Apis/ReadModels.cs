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
public sealed class ReadModels(IWorkflowStore workflows, ITestStore savedTests, IRunStore runs, IOptions<FlakyOptions> flakyOptions)
{
    public async Task<RunResponse> RunAsync(TestRun run, CancellationToken cancellationToken) =>
        (await RunsAsync([run], cancellationToken))[0];

    /// <summary>
    /// Freshness needs the current draft and, only when a test of the workflow changed since the run was created,
    /// the run's scope planned again on the current tests. Both are loaded once per workflow of the page.
    /// </summary>
    public async Task<IReadOnlyList<RunResponse>> RunsAsync(IReadOnlyList<TestRun> page, CancellationToken cancellationToken)
    {
        var drafts = new Dictionary<string, Workflow?>();
        var testsOf = new Dictionary<string, IReadOnlyList<WorkflowTest>>();
        var responses = new List<RunResponse>(page.Count);
        foreach (var run in page)
        {
            if (!drafts.TryGetValue(run.WorkflowId, out var workflow))
                drafts[run.WorkflowId] = workflow = await workflows.GetAsync(run.OrganizationId, run.WorkflowId, cancellationToken);

            string? inputsFingerprint = null;
            if (workflow is not null && workflow.TestsChangedAt < run.CreatedAt)
                inputsFingerprint = run.InputsFingerprint;
            else if (workflow is not null)
            {
                if (!testsOf.TryGetValue(workflow.Id, out var tests))
                    testsOf[workflow.Id] = tests = await savedTests.ListAllAsync(run.OrganizationId, workflow.Id, cancellationToken);
                var plan = RunPlanner.Plan(workflow, tests, run.Scope);
                inputsFingerprint = plan.IsValid ? plan.InputsFingerprint : null;
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

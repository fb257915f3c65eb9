using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Builds the read-time fields of runs and tests (freshness, latest summaries) from the current draft.</summary>
public sealed class ReadModels(IWorkflowStore workflows, ITestStore tests, IRunStore runs)
{
    public async Task<RunResponse> RunAsync(TestRun run, CancellationToken cancellationToken) =>
        (await RunsAsync([run], cancellationToken))[0];

    /// <summary>Plans each run's scope again on the current draft; the draft and tests are loaded once per workflow.</summary>
    public async Task<IReadOnlyList<RunResponse>> RunsAsync(IReadOnlyList<TestRun> page, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, (Workflow? Workflow, IReadOnlyList<WorkflowTest> Tests)>();
        var responses = new List<RunResponse>(page.Count);
        foreach (var run in page)
        {
            if (!current.TryGetValue(run.WorkflowId, out var state))
            {
                var workflow = await workflows.GetAsync(run.OrganizationId, run.WorkflowId, cancellationToken);
                state = (workflow, workflow is null ? [] : await tests.ListAllAsync(run.OrganizationId, run.WorkflowId, cancellationToken));
                current[run.WorkflowId] = state;
            }
            var plan = state.Workflow is null ? null : RunPlanner.Plan(state.Workflow, state.Tests, run.Scope);
            responses.Add(RunResponse.From(run, FreshnessRules.ForRun(run, plan)));
        }
        return responses;
    }

    public async Task<TestResponse> TestAsync(WorkflowTest test, Workflow? workflow, CancellationToken cancellationToken)
    {
        var latest = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, null, cancellationToken);
        var passing = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, Verdict.Passed, cancellationToken);
        var failing = await runs.FindLatestResultAsync(test.OrganizationId, test.Id, Verdict.Failed, cancellationToken);
        return TestResponse.From(test, workflow, latest, passing, failing);
    }
}

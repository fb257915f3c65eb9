using System.Net;
using System.Text.Json.Nodes;
using Retab.Runs.Testing.Hostile;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// The organization the hostile corpus attacks, arranged over HTTP as the acceptance test arranges it (a workflow
/// whose function block echoes <c>input.i</c>, one test, a completed run and its result, a file uploaded as
/// multipart), and the ordinary traffic that warms the service up before its idle memory is read.
/// </summary>
public static class HostileVictim
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public static async Task<HostileTargets> ArrangeAsync(BenchApi owner)
    {
        var workflowId = await owner.CreateWorkflowAsync("hostile victim", Workload.BlockId, Workload.EchoCode);
        var test = await owner.SendAsync(HttpMethod.Post, "/v1/workflows/tests", Workload.TestBody(workflowId, Workload.BlockId, 1), HttpStatusCode.Created);
        var runId = (await owner.StartRunAsync(workflowId))["id"]!.GetValue<string>();
        await owner.WaitForTerminalAsync(runId, RunTimeout);
        var results = await owner.SendAsync(HttpMethod.Get, $"/v1/workflows/tests/results?run_id={runId}&limit=1", null, HttpStatusCode.OK);
        var resultId = results["data"]![0]!["id"]!.GetValue<string>();
        var fileId = await owner.UploadAsync("notes.txt", "plain text"u8.ToArray(), "text/plain");
        return new HostileTargets(workflowId, Workload.BlockId, test["id"]!.GetValue<string>(), runId, resultId, fileId);
    }

    /// <summary>
    /// A few dozen ordinary requests over the read routes and one small run (on the other organization's own
    /// workflow, so the victim stays exactly as arranged), so that the idle figure is a service that has served
    /// traffic, not one that has not yet loaded its code. Returns the small run's status.
    /// </summary>
    public static async Task<string> WarmUpAsync(BenchApi owner, BenchApi neighbour, HostileTargets victim, int runTests)
    {
        string[] reads =
        [
            $"/v1/workflows/{victim.WorkflowId}", $"/v1/workflows/tests/{victim.TestId}", $"/v1/workflows/tests/runs/{victim.RunId}",
            $"/v1/workflows/tests/results/{victim.ResultId}", $"/v1/files/{victim.FileId}", "/v1/workflows?limit=100",
            $"/v1/workflows/tests?workflow_id={victim.WorkflowId}", "/v1/workflows/tests/runs", $"/v1/workflows/tests/results?run_id={victim.RunId}",
        ];
        for (var round = 0; round < 2; round++)
        {
            foreach (var path in reads)
                await owner.SendAsync(HttpMethod.Get, path, null, HttpStatusCode.OK);
        }

        var workflowId = await neighbour.CreateWorkflowAsync("warm-up", Workload.BlockId, Workload.EchoCode);
        await neighbour.CreateTestsAsync(workflowId, Workload.BlockId, runTests, parallelism: 4);
        var runId = (await neighbour.StartRunAsync(workflowId))["id"]!.GetValue<string>();
        var run = await neighbour.WaitForTerminalAsync(runId, RunTimeout);
        var (rows, _, _) = await neighbour.CountResultsAsync(runId);
        var status = run["lifecycle"]!["status"]!.GetValue<string>();
        return rows == runTests ? status : $"{status} with {rows} of {runTests} results";
    }
}

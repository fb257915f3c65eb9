using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;
using Retab.Runs.Worker.Observability;

namespace Retab.Runs.Worker.Consumers;

/// <summary>
/// Executes one test from its snapshot and reports <c>WorkflowTestFinished</c> (with others finished meanwhile, see
/// <see cref="FinishedReports"/>), preceded by <c>WorkflowTestStarted</c> only for a test slow enough to show running
/// (<see cref="StartReport"/>).
/// A failing user block is a normal, completed result; only a test that could not run at all (it overran
/// <see cref="WorkerOptions.ExecutionTimeout"/>) is reported as <c>error</c>. Exceptions (bus or bug) are retried by
/// the endpoint and end as a fault the orchestrator turns into an error slot.
/// </summary>
public sealed class ExecuteWorkflowTestConsumer(
    TestExecution execution,
    RunCancellations cancellations,
    BoundedPublisher publisher,
    FinishedReports reports,
    IOptions<WorkerOptions> options,
    ExecutionSignals signals,
    TimeProvider time) : IConsumer<ExecuteWorkflowTest>
{
    public async Task Consume(ConsumeContext<ExecuteWorkflowTest> context)
    {
        var message = context.Message;
        SpanTags.Test(message.RunId, message.TestId, message.OrganizationId);
        if (cancellations.IsCancelled(message.RunId))
            return;

        var (config, inputs, assertion) = ReadSnapshot(message);
        var workerId = options.Value.WorkerId;
        var startedAt = Clock.Now(time);
        signals.PickedUp(message, context.SentTime, startedAt);
        using var inProgress = cancellations.Begin(message.RunId, context.CancellationToken);
        WorkflowTestFinished finished;
        var started = Started(message, startedAt, workerId);
        await using (StartReport.Begin(publisher, context, started, options.Value.StartedGrace, time, context.CancellationToken))
        {
            var clock = time.GetTimestamp();
            try
            {
                finished = await ExecuteAsync(message, config, inputs, assertion, workerId, startedAt, inProgress.Token);
                signals.Executed(message, finished, time.GetElapsedTime(clock));
            }
            catch (OperationCanceledException) when (inProgress.RunCancelled)
            {
                // The run was cancelled: its slot is cancelled already, so there is nothing to report.
                return;
            }
        }
        await reports.ReportAsync(context, finished, context.CancellationToken);
    }

    private static WorkflowTestStarted Started(ExecuteWorkflowTest message, DateTimeOffset startedAt, string workerId) => new()
    {
        RunId = message.RunId,
        OrganizationId = message.OrganizationId,
        TestId = message.TestId,
        ResultId = message.ResultId,
        Attempt = message.Attempt,
        StartedAt = startedAt,
        WorkerId = workerId,
    };

    private async Task<WorkflowTestFinished> ExecuteAsync(
        ExecuteWorkflowTest message, JsonObject config, JsonObject inputs, Assertion assertion, string workerId, DateTimeOffset startedAt,
        CancellationToken cancellationToken)
    {
        var finished = new WorkflowTestFinished
        {
            RunId = message.RunId,
            OrganizationId = message.OrganizationId,
            TestId = message.TestId,
            ResultId = message.ResultId,
            Attempt = message.Attempt,
            Lifecycle = "error",
            StartedAt = startedAt,
            CompletedAt = startedAt,
            WorkerId = workerId,
            EngineVersion = EngineInfo.Version,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The limit counts from pickup, not from queueing: a 100,000-test run legitimately waits in the queue
        // far longer than any one test may run. Tests nobody picks up are the sweeper's business.
        deadline.CancelAfter(options.Value.ExecutionTimeout);
        try
        {
            deadline.Token.ThrowIfCancellationRequested();
            var outcome = await execution.RunAsync(message.Block.Type, new BlockRequest(message.OrganizationId, config, inputs), assertion, deadline.Token);
            return finished with
            {
                Lifecycle = "completed",
                Verdict = outcome.Verdict.ToString().ToLowerInvariant(),
                HandleOutputs = PublicJson.ToElement(outcome.HandleOutputs),
                RoutingDecisions = outcome.RoutingDecisions is { } routing ? PublicJson.ToElement(routing) : null,
                Consensus = outcome.Consensus is { } consensus ? PublicJson.ToElement(consensus) : null,
                AssertionResult = PublicJson.ToElement(outcome.AssertionResult),
                Warnings = outcome.Warnings,
                CompletedAt = Clock.Now(time),
            };
        }
        catch (ModelUnavailableException unavailable) when (!cancellationToken.IsCancellationRequested)
        {
            // The model server failed every retry: the infrastructure could not run the test, so no verdict.
            return finished with
            {
                Error = new ExecutionError(RunErrorCodes.ModelUnavailable, unavailable.Message),
                CompletedAt = Clock.Now(time),
            };
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return finished with
            {
                Error = new ExecutionError(RunErrorCodes.DeadlineExceeded, $"The test did not finish within {options.Value.ExecutionTimeout} of being picked up."),
                CompletedAt = Clock.Now(time),
            };
        }
    }

    private static (JsonObject Config, JsonObject Inputs, Assertion Assertion) ReadSnapshot(ExecuteWorkflowTest message)
    {
        try
        {
            return (
                JsonObject.Create(message.Block.Config) ?? throw new InvalidMessageException("Block.Config must be an object."),
                JsonObject.Create(message.HandleInputs) ?? throw new InvalidMessageException("HandleInputs must be an object."),
                PublicJson.FromElement<Assertion>(message.Assertion));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidMessageException($"ExecuteWorkflowTest {message.ResultId} has an unreadable snapshot: {error.Message}");
        }
    }
}

using System.Text;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// DESIGN §4: a malformed message goes to the <c>_error</c> queue with the reason in headers, the consumer never
/// crashes and other runs continue; a command naming an unknown workflow ends as a run in <c>error</c>.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MalformedMessageTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const string ErrorQueue = EndpointNames.OrchestratorCommands + "_error";
    private const string Echo = "function main(input) { return { v: input.i }; }";

    [SkippableFact]
    public async Task Malformed_commands_go_to_the_error_queue_an_unknown_workflow_ends_in_error_and_later_runs_still_complete()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var stack = await RunsStack.StartAsync(broker, output, "malformed", inProcessWorkers: ["it-worker-inproc"]);
        var api = stack.Api();
        var workflowId = await api.CreateFunctionWorkflowAsync("block_echo", Echo);
        for (var i = 0; i < 4; i++)
            await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", new JsonObject { ["kind"] = "equals", ["expected"] = i == 3 ? -1 : i });

        await using var amqp = await RawAmqp.ConnectAsync(stack.VirtualHost.AmqpUri);
        await using var completions = await amqp.SubscribeAsync(Envelopes.TestRunCompletedExchange);

        // 1. Not JSON at all.
        var notJson = Encoding.UTF8.GetBytes("{\"messageId\": \"" + Guid.NewGuid() + "\", \"message\": {\"runId\": tru");
        // 2. Wrong JSON types: runId is a number.
        var numberRunId = Encoding.UTF8.GetBytes(Envelopes.Wrap(Guid.NewGuid().ToString(), $$"""
            {"runId": 42, "organizationId": "{{RunsStack.OrganizationId}}", "workflowId": "{{workflowId}}", "scope": {"type": "workflow"}, "requestedAt": "{{DateTime.UtcNow:O}}"}
            """));
        // 3. Well-typed, but a scope type the contract does not know.
        var unknownScope = Encoding.UTF8.GetBytes(Envelopes.Wrap(Guid.NewGuid().ToString(), $$"""
            {"runId": "{{Envelopes.NewRunId()}}", "organizationId": "{{RunsStack.OrganizationId}}", "workflowId": "{{workflowId}}", "scope": {"type": "everything"}, "requestedAt": "{{DateTime.UtcNow:O}}"}
            """));
        var malformed = new Dictionary<string, byte[]> { ["invalid JSON"] = notJson, ["runId: 42"] = numberRunId, ["scope.type: everything"] = unknownScope };
        foreach (var (name, body) in malformed)
            await amqp.PublishAsync(Envelopes.CreateTestRunExchange, body, messageId: name);

        // 4. Valid, but the workflow does not exist in the organization.
        var lostRunId = Envelopes.NewRunId();
        await amqp.PublishAsync(Envelopes.CreateTestRunExchange,
            Envelopes.CreateTestRun(Guid.NewGuid().ToString(), lostRunId, RunsStack.OrganizationId, "wf_doesnotexist0000000000000000", triggerType: null),
            Guid.NewGuid().ToString());

        // The three malformed messages land in retab-runs-orchestrator_error, each with the fault headers.
        // (MassTransit declares the error queue when it moves the first message there; a basic.get on a missing queue would close the channel.)
        var dead = new List<(byte[] Body, RabbitMQ.Client.IReadOnlyBasicProperties Properties)>();
        await Eventually.WaitAsync(async () =>
        {
            if (await stack.VirtualHost.GetQueueAsync(ErrorQueue) is null)
                return false;
            while (await amqp.GetAsync(ErrorQueue) is { } got)
                dead.Add((got.Body.ToArray(), got.BasicProperties));
            return dead.Count >= malformed.Count;
        }, TimeSpan.FromSeconds(60), $"{malformed.Count} messages in {ErrorQueue}");
        Assert.Equal(malformed.Count, dead.Count);
        foreach (var (name, body) in malformed)
        {
            var match = dead.Where(d => d.Body.AsSpan().SequenceEqual(body)).ToList();
            Assert.True(match.Count == 1, $"'{name}' should be in {ErrorQueue} once (unchanged body), found {match.Count}");
            var properties = match[0].Properties;
            var reason = RawAmqp.HeaderText(properties, "MT-Reason");
            var fault = RawAmqp.HeaderText(properties, "MT-Fault-Message");
            output.WriteLine($"{name}: MT-Reason={reason}; MT-Fault-Message={fault}; MT-Fault-ExceptionType={Header(properties, "MT-Fault-ExceptionType")}");
            Assert.False(string.IsNullOrWhiteSpace(fault), $"'{name}' has an empty MT-Fault-Message");
        }
        Assert.Contains("everything", RawAmqp.HeaderText(dead.Single(d => d.Body.AsSpan().SequenceEqual(unknownScope)).Properties, "MT-Fault-Message"));

        // The unknown workflow: a run in error with the code, visible over HTTP, and announced.
        var lost = await api.WaitForTerminalAsync(lostRunId, TimeSpan.FromSeconds(60));
        Assert.Equal("error", RunInvariants.Status(lost));
        Assert.Equal("workflow_not_found", lost["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
        Assert.Equal("custom", lost["trigger"]!["type"]!.GetValue<string>());
        var lostEvent = await completions.WaitForAsync(e => e["message"]?["runId"]?.GetValue<string>() == lostRunId,
            TimeSpan.FromSeconds(30), $"TestRunCompleted for {lostRunId}");
        Assert.Equal("error", lostEvent["message"]!["status"]!.GetValue<string>());
        Assert.Equal("workflow_not_found", lostEvent["message"]!["error"]!["code"]!.GetValue<string>());

        // The consumer kept running: a valid command published afterwards completes.
        var runId = Envelopes.NewRunId();
        await amqp.PublishAsync(Envelopes.CreateTestRunExchange,
            Envelopes.CreateTestRun(Guid.NewGuid().ToString(), runId, RunsStack.OrganizationId, workflowId, triggerType: null),
            Guid.NewGuid().ToString());
        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromMinutes(2));
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal("custom", run["trigger"]!["type"]!.GetValue<string>());
        Assert.Equal(3, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, run["counts"]!["failed"]!.GetValue<int>());
        var completed = await completions.WaitForAsync(e => e["message"]?["runId"]?.GetValue<string>() == runId,
            TimeSpan.FromSeconds(30), $"TestRunCompleted for {runId}");
        Assert.Equal("completed", completed["message"]!["status"]!.GetValue<string>());

        // Nothing else went to the error queue on the way.
        Assert.Null(await amqp.GetAsync(ErrorQueue));
    }

    private static string Header(RabbitMQ.Client.IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.ContainsKey(name) == true ? RawAmqp.HeaderText(properties, name) : "(absent)";
}

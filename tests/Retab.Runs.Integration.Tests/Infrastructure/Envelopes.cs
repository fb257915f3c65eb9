using System.Security.Cryptography;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// MassTransit JSON envelopes written by hand, the way a publisher in another language would: camelCase
/// <c>message</c>, the message URN in <c>messageType</c>, ids as GUID strings. No MassTransit, no contract types.
/// </summary>
public static class Envelopes
{
    public const string CreateTestRunExchange = "Retab.Runs.Contracts:CreateTestRun";
    public const string TestRunCompletedExchange = "Retab.Runs.Contracts:TestRunCompleted";
    public const string CreateTestRunUrn = "urn:message:Retab.Runs.Contracts:CreateTestRun";
    public const string TestRunCompletedUrn = "urn:message:Retab.Runs.Contracts:TestRunCompleted";

    /// <summary><c>wftestrun_</c> + 32 random lowercase letters and digits.</summary>
    public static string NewRunId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return "wftestrun_" + new string(Enumerable.Range(0, 32).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    /// <summary>An envelope around <paramref name="messageJson"/> (the <c>message</c> object, as raw JSON text).</summary>
    public static string Wrap(string messageId, string messageJson, string urn = CreateTestRunUrn) => $$"""
        {
          "messageId": "{{messageId}}",
          "conversationId": "{{Guid.NewGuid()}}",
          "sourceAddress": "rabbitmq://127.0.0.1/partner/partner-scheduler",
          "destinationAddress": "rabbitmq://127.0.0.1/partner/{{CreateTestRunExchange}}",
          "messageType": ["{{urn}}"],
          "message": {{messageJson}},
          "sentTime": "{{DateTime.UtcNow:O}}",
          "headers": {},
          "host": {"machineName": "partner-host", "processName": "partner-scheduler", "frameworkVersion": "n/a", "operatingSystemVersion": "n/a"}
        }
        """;

    /// <summary>A CreateTestRun for the whole workflow; <paramref name="triggerType"/> null leaves <c>trigger</c> out (the service then records <c>custom</c>).</summary>
    public static string CreateTestRun(string messageId, string runId, string organizationId, string workflowId, string? triggerType) => Wrap(messageId, $$"""
        {
            "runId": "{{runId}}",
            "organizationId": "{{organizationId}}",
            "workflowId": "{{workflowId}}",
            "scope": {"type": "workflow"},
            {{(triggerType is null ? "" : $$"""
            "trigger": {"type": "{{triggerType}}"},
            """)}}
            "requestedAt": "{{DateTime.UtcNow:O}}"
          }
        """);
}

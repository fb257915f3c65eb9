namespace Retab.Runs.Compatibility.Tests.Payloads;

/// <summary>One live answer of the host, filed under the kind it exemplifies.</summary>
public sealed record Payload(string Kind, string Request, JsonNode? Body)
{
    public string Schema => PayloadKinds.SchemaOf[Kind];
}

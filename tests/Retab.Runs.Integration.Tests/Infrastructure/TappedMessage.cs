namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>One delivery a <see cref="MessageTap"/> heard: the MassTransit envelope as published, and whether it was the tap's own copy.</summary>
public sealed record TappedMessage(string MessageId, JsonNode Envelope, bool IsCopy, DateTimeOffset HeardAt)
{
    /// <summary>The <c>message</c> inside the envelope (camelCase, as MassTransit writes it).</summary>
    public JsonNode Message => Envelope["message"]!;

    public string? RunId => Message["runId"]?.GetValue<string>();
}

using Retab.Runs.Compatibility.Tests.Payloads;
using Xunit.Abstractions;

namespace Retab.Runs.Compatibility.Tests;

/// <summary>
/// Issue 13: Retab's own SDKs read every response right. Each kind of live response is checked against the schema
/// written from the SDK model that reads it; a field the model requires and the service does not send, or sends
/// with another type or enum value, fails with the field and the model named.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class ResponsesReadAsRetabModelsTests(CompatibilityFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new(PayloadKinds.SchemaOf.Keys.Order());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_payload_of_the_kind_reads_as_Retabs_model(string kind)
    {
        var payloads = fixture.Catalog.Of(kind);
        Assert.True(payloads.Count > 0, $"No scenario produced a '{kind}' payload, so it was not checked.");

        var failures = new List<string>();
        foreach (var payload in payloads)
        {
            var violations = fixture.Schemas.Check(payload.Schema, payload.Body);
            output.WriteLine($"{kind}: {payload.Request} → {(violations.Count == 0 ? "reads as " + payload.Schema : violations.Count + " violation(s)")}");
            failures.AddRange(violations.Select(v => $"{kind} ({payload.Request}): {v}"));
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_kind_of_payload_was_read_from_the_live_host()
    {
        var produced = fixture.Catalog.All.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (kind, count) in produced.OrderBy(p => p.Key))
            output.WriteLine($"{kind}: {count} payload(s) against {PayloadKinds.SchemaOf[kind]}");
        output.WriteLine($"Payload kinds checked: {produced.Count} ({produced.Values.Sum()} payloads, {fixture.Schemas.Files.Count} schemas)");

        Assert.Empty(PayloadKinds.SchemaOf.Keys.Except(produced.Keys));
        Assert.True(produced.Count >= PayloadKinds.Minimum, $"Only {produced.Count} payload kinds were checked; at least {PayloadKinds.Minimum} are expected.");
    }
}

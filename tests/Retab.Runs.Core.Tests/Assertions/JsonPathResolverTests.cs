using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Core.Tests.Assertions;

public sealed class JsonPathResolverTests
{
    private static readonly JsonNode Data = JsonNode.Parse("""{"vendor":{"name":"Acme","vat":null},"lines":[{"amount":41.5},{"amount":0}],"7":"seven"}""")!;

    [Theory]
    [InlineData(null, true, """{"vendor":{"name":"Acme","vat":null},"lines":[{"amount":41.5},{"amount":0}],"7":"seven"}""")]
    [InlineData("", true, """{"vendor":{"name":"Acme","vat":null},"lines":[{"amount":41.5},{"amount":0}],"7":"seven"}""")]
    [InlineData("vendor.name", true, "\"Acme\"")]
    [InlineData("vendor.vat", true, "null")]
    [InlineData("vendor.vat.rate", false, null)]
    [InlineData("lines.0.amount", true, "41.5")]
    [InlineData("lines.1.amount", true, "0")]
    [InlineData("lines.2.amount", false, null)]
    [InlineData("lines.01.amount", true, "0")]
    [InlineData("lines.+1", false, null)]
    [InlineData("lines.-1", false, null)]
    [InlineData("lines.99999999999", false, null)]
    [InlineData("7", true, "\"seven\"")]
    [InlineData("vendor.name.first", false, null)]
    [InlineData("vendor..name", false, null)]
    [InlineData("Vendor", false, null)]
    public void Resolves_dotted_paths(string? path, bool found, string? json)
    {
        var resolved = JsonPathResolver.TryResolve(Data, path, out var value);

        Assert.Equal(found, resolved);
        if (found)
            Assert.Equal(json, value?.ToJsonString() ?? "null");
        else
            Assert.Null(value);
    }

    [Fact]
    public void Missing_handle_is_absent()
    {
        var outputs = new Dictionary<string, JsonNode?> { ["output-json-0"] = JsonNode.Parse("{}") };
        Assert.False(JsonPathResolver.TryResolve(outputs, new AssertionTarget("output-json-1", null), out _));
        Assert.True(JsonPathResolver.TryResolve(outputs, new AssertionTarget("output-json-0", null), out _));
    }
}

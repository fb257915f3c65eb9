using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Core.Tests.Assertions;

public sealed class JsonDeepEqualityTests
{
    [Theory]
    [InlineData("1", "1.0", true)]
    [InlineData("1", "1e0", true)]
    [InlineData("1", "true", false)]
    [InlineData("0", "false", false)]
    [InlineData("null", "false", false)]
    [InlineData("\"1\"", "1", false)]
    [InlineData("123456789012345678901234567", "123456789012345678901234568", false)]
    [InlineData("1e400", "1e400", true)]
    [InlineData("""{"a":[1,{"b":null}]}""", """{"a":[1.0,{"b":null}]}""", true)]
    [InlineData("""{"a":1,"reasoning___a":"x"}""", """{"reasoning___a":"y","a":1}""", true)]
    [InlineData("""[{"reasoning___a":"x"}]""", "[{}]", true)]
    [InlineData("[1,2]", "[1,2,3]", false)]
    public void Compares_json_values(string left, string right, bool equal)
    {
        var a = JsonNode.Parse(left);
        var b = JsonNode.Parse(right);
        Assert.Equal(equal, JsonDeepEquality.Default.Equals(a, b));
        Assert.Equal(equal, JsonDeepEquality.Default.Equals(b, a));
        if (equal)
            Assert.Equal(JsonDeepEquality.Default.GetHashCode(a), JsonDeepEquality.Default.GetHashCode(b));
    }

    [Fact]
    public void Clr_backed_values_compare_like_parsed_ones()
    {
        Assert.True(JsonDeepEquality.Default.Equals(JsonValue.Create(1.5m), JsonNode.Parse("1.50")));
        Assert.True(JsonDeepEquality.Default.Equals(JsonValue.Create(2L), JsonNode.Parse("2.0")));
        Assert.True(JsonDeepEquality.Default.Equals(JsonValue.Create("é"), JsonNode.Parse("\"\\u00e9\"")));
        Assert.False(JsonDeepEquality.Default.Equals(JsonValue.Create(true), JsonValue.Create(1)));
    }

    [Fact]
    public void Strict_compares_reasoning_keys()
    {
        var a = JsonNode.Parse("""{"a":1,"reasoning___a":"x"}""");
        var b = JsonNode.Parse("""{"a":1}""");
        Assert.False(JsonDeepEquality.Strict.Equals(a, b));
        Assert.True(JsonDeepEquality.Default.Equals(a, b));
    }

    [Fact]
    public void Finds_the_first_difference()
    {
        var difference = JsonDeepEquality.Default.FindDifference(
            JsonNode.Parse("""{"lines":[{"amount":1},{"amount":2}]}"""),
            JsonNode.Parse("""{"lines":[{"amount":1},{"amount":3}]}"""));
        Assert.Equal("lines.1.amount", difference!.Path);
        Assert.Equal("2", difference.Expected!.ToJsonString());
        Assert.Equal("3", difference.Actual!.ToJsonString());
    }
}

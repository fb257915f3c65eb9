using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Tests.Domain;

public class CanonicalJsonTests
{
    private static JsonNode? J(string json) => JsonNode.Parse(json.Replace('\'', '"'));

    [Fact]
    public void Serialize_sorts_keys_at_every_depth_and_drops_whitespace()
    {
        var node = J("{ 'b': 1, 'a': { 'z': [ { 'y': 1, 'x': 2 } ], 'c': null }, 'A': true }");
        Assert.Equal("""{"A":true,"a":{"c":null,"z":[{"x":2,"y":1}]},"b":1}""", CanonicalJson.Serialize(node));
    }

    [Theory]
    [InlineData("{'a':1,'b':2}", "{'b':2,'a':1}")]
    [InlineData("{'o':{'x':[1,{'q':1,'p':2}],'y':'s'}}", "{'o':{'y':'s','x':[1,{'p':2,'q':1}]}}")]
    [InlineData("{'a':1,'b':2}", "{ 'b' : 2 ,\n 'a' : 1 }")]
    public void Fingerprint_does_not_depend_on_key_order_or_whitespace(string left, string right)
    {
        Assert.Equal(CanonicalJson.Fingerprint(J(left)), CanonicalJson.Fingerprint(J(right)));
    }

    [Theory]
    [InlineData("{'a':1}", "{'a':1.0}")]
    [InlineData("[1e2, -0, 0.50]", "[100, 0, 0.5]")]
    [InlineData("{'a':12345678901234567890.10}", "{'a':12345678901234567890.1}")]
    [InlineData("{'a':1e400}", "{'a':1e400}")]
    public void Numbers_that_equals_treats_as_one_value_have_one_fingerprint(string left, string right)
    {
        Assert.Equal(CanonicalJson.Fingerprint(J(left)), CanonicalJson.Fingerprint(J(right)));
    }

    [Theory]
    [InlineData("{'a':1}", "{'a':2}")]
    [InlineData("{'a':1}", "{'a':1.0000000001}")]
    [InlineData("{'a':1}", "{'a':'1'}")]
    [InlineData("{'a':1}", "{'b':1}")]
    [InlineData("{'a':1}", "{'a':1,'b':1}")]
    [InlineData("{'a':null}", "{}")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("[1,2]", "[1,2,2]")]
    [InlineData("{'a':true}", "{'a':1}")]
    [InlineData("{'a':'x'}", "{'a':'X'}")]
    [InlineData("{'a':{'b':1}}", "{'a':[{'b':1}]}")]
    [InlineData("{'a.b':1}", "{'a':{'b':1}}")]
    public void Different_content_gives_a_different_fingerprint(string left, string right)
    {
        Assert.NotEqual(CanonicalJson.Fingerprint(J(left)), CanonicalJson.Fingerprint(J(right)));
    }

    [Fact]
    public void Fingerprint_is_sha256_prefixed_32_lowercase_hex_chars_and_stable()
    {
        var fingerprint = CanonicalJson.Fingerprint(J("{'a':1}"));
        Assert.Matches("^sha256:[0-9a-f]{32}$", fingerprint);
        Assert.Equal(fingerprint, CanonicalJson.Fingerprint(J("{'a':1}")));
        // SHA-256 of the canonical text {"a":1}, truncated.
        Assert.Equal("sha256:015abd7f5cc57a2dd94b7590f04ad808", fingerprint);
    }

    [Fact]
    public void Fingerprint_of_parts_keeps_part_boundaries()
    {
        Assert.NotEqual(CanonicalJson.FingerprintOf("ab", "c"), CanonicalJson.FingerprintOf("a", "bc"));
        Assert.Equal(CanonicalJson.FingerprintOf("a", "bc"), CanonicalJson.FingerprintOf("a", "bc"));
    }

    [Fact]
    public void Serialize_does_not_reorder_arrays_or_change_the_input()
    {
        var node = J("{'b':[3,1,2],'a':0}")!;
        var before = node.ToJsonString();
        Assert.Equal("""{"a":0,"b":[3,1,2]}""", CanonicalJson.Serialize(node));
        Assert.Equal(before, node.ToJsonString());
    }

    [Fact]
    public void Null_serializes_as_json_null()
    {
        Assert.Equal("null", CanonicalJson.Serialize(null));
    }
}

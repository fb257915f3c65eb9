using System.Text.Json.Nodes;
using Retab.Runs.Blocks.Model;

namespace Retab.Runs.Models.Tests;

public sealed class ConsensusVoteTests
{
    /// <summary>answers (a JSON array of the N answers), the consolidated value, the likelihoods.</summary>
    public static TheoryData<string, string, string> Rows => new()
    {
        { "[1]", "1", "1" },
        { "[1, 1, 2]", "1", "0.667" },
        { "[1, 1.0, 2]", "1", "0.667" },
        { "[true, 1, 1]", "1", "0.667" },
        { "[\"a\", \"b\", \"c\"]", "\"a\"", "0.333" },
        { "[2, 1, 1, 2]", "2", "0.5" },
        { "[null, null, 3]", "null", "0.667" },
        { "[{\"a\": 1, \"b\": \"x\"}, {\"a\": 1, \"b\": \"y\"}, {\"a\": 2, \"b\": \"y\"}]", "{\"a\":1,\"b\":\"y\"}", "{\"a\":0.667,\"b\":0.667}" },
        { "[{\"a\": {\"b\": 1}}, {\"a\": {\"b\": 1}}, {\"a\": {\"b\": 1}}]", "{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1}}" },
        { "[{\"a\": 1}, {\"a\": 1}, null]", "{\"a\":1}", "{\"a\":0.667}" },
        { "[{\"a\": 1}, {\"a\": 1, \"b\": 2}, {\"a\": 1}]", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":0.333}" },
        { "[[1, 2], [1, 3], [1, 2, 4]]", "[1,2]", "[1,0.667]" },
        { "[[], [], [1]]", "[]", "[]" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_leaf_takes_the_majority_and_the_share_that_agreed(string answers, string value, string likelihoods)
    {
        var outcome = ConsensusVote.Vote(JsonNode.Parse(answers)!.AsArray().ToList());

        Assert.Equal(value, outcome.Value?.ToJsonString() ?? "null");
        Assert.Equal(likelihoods, outcome.Likelihoods!.ToJsonString());
    }
}

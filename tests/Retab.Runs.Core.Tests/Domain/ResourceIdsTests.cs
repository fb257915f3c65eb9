using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Tests.Domain;

public class ResourceIdsTests
{
    [Theory]
    [InlineData(ResourceIds.Workflow, "wf")]
    [InlineData(ResourceIds.Block, "block")]
    [InlineData(ResourceIds.Test, "wfnodetest")]
    [InlineData(ResourceIds.Run, "wftestrun")]
    [InlineData(ResourceIds.Result, "wfnodetestrun")]
    [InlineData(ResourceIds.Assertion, "assert")]
    public void Ids_use_the_public_prefixes(string prefix, string expected)
    {
        Assert.Equal(expected, prefix);
        var id = ResourceIds.New(prefix);
        Assert.StartsWith(expected + "_", id);
        Assert.True(ResourceIds.HasPrefix(id, prefix));
    }

    [Fact]
    public void Ids_have_a_32_char_lowercase_url_safe_body_of_at_least_20_random_chars()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = ResourceIds.New(ResourceIds.Run);
            var body = id["wftestrun_".Length..];
            Assert.Equal(32, body.Length);
            Assert.Equal("wftestrun_".Length + 32, id.Length);
            Assert.All(body, c => Assert.True(c is >= '0' and <= '9' or >= 'a' and <= 'z', $"'{c}' in {id}"));
            Assert.Equal(id.ToLowerInvariant(), id);
        }
    }

    [Fact]
    public void Ids_are_unique_even_at_the_same_millisecond()
    {
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 20_000).Select(_ => ResourceIds.New(ResourceIds.Test, at)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        // Not guessable: at the same instant only the time part is shared.
        Assert.Single(ids.Select(id => id[..("wfnodetest_".Length + 10)]).Distinct());
        Assert.True(ids.Select(id => id[^22..]).Distinct().Count() == ids.Count);
    }

    public static TheoryData<long, long> TimePairs => new()
    {
        { 0, 1 },
        { 31, 32 },                        // carry into the second base-32 digit
        { 1_023, 1_024 },
        { 1_700_000_000_000, 1_700_000_000_001 },
        { 1_700_000_000_000, 1_800_000_000_000 },
        { 1_735_689_599_999, 1_735_689_600_000 }, // new year 2025
        { 253_402_300_799_998, 253_402_300_799_999 }, // year 9999
    };

    [Theory]
    [MemberData(nameof(TimePairs))]
    public void Ids_sort_ordinally_by_creation_time(long earlierMs, long laterMs)
    {
        for (var i = 0; i < 50; i++)
        {
            var earlier = ResourceIds.New(ResourceIds.Workflow, DateTimeOffset.FromUnixTimeMilliseconds(earlierMs));
            var later = ResourceIds.New(ResourceIds.Workflow, DateTimeOffset.FromUnixTimeMilliseconds(laterMs));
            Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
        }
    }

    [Fact]
    public void A_sequence_of_ids_created_over_time_is_already_sorted()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_740_000_000_000);
        var random = new Random(5);
        var at = start;
        var ids = new List<string>();
        for (var i = 0; i < 1_000; i++)
        {
            at = at.AddMilliseconds(1 + random.Next(100_000));
            ids.Add(ResourceIds.New(ResourceIds.Result, at));
        }
        Assert.Equal(ids, ids.OrderBy(id => id, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("wf_abc", "wf", true)]
    [InlineData("wf_", "wf", false)]
    [InlineData("wf", "wf", false)]
    [InlineData(null, "wf", false)]
    [InlineData("wfx_abc", "wf", false)]
    [InlineData("WF_abc", "wf", false)]
    [InlineData("wftestrun_abc", "wf", false)]
    [InlineData("wfnodetestrun_abc", "wfnodetest", false)]
    [InlineData("wfnodetestrun_abc", "wfnodetestrun", true)]
    public void Has_prefix_requires_the_exact_prefix_an_underscore_and_a_body(string? id, string prefix, bool expected)
    {
        Assert.Equal(expected, ResourceIds.HasPrefix(id, prefix));
    }
}

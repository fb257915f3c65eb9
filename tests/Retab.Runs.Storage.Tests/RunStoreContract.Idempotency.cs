using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>Idempotency-Key records (DESIGN §3.1): the first response for a key wins for 24 h.</summary>
public abstract partial class RunStoreContract
{
    private static IdempotencyRecord Record(string org = OrgA, string key = "key-1", string body = """{"id":"first"}""", DateTimeOffset? at = null) =>
        new(org, key, "sha256:" + body.GetHashCode().ToString("x8"), 201, "/v1/workflows/tests/runs/x", body, at ?? T0);

    [Fact]
    public async Task The_first_record_for_a_key_is_stored_and_returned()
    {
        var record = Record();
        Assert.Null(await Idempotency.GetAsync(OrgA, "key-1"));

        Assert.True(await Idempotency.TryInsertAsync(record));

        Assert.Equal(record, await Idempotency.GetAsync(OrgA, "key-1"));
    }

    [Fact]
    public async Task A_second_record_for_the_same_key_is_refused_and_the_first_kept()
    {
        var first = Record();
        await Idempotency.TryInsertAsync(first);

        Assert.False(await Idempotency.TryInsertAsync(Record(body: """{"id":"second"}""", at: T0.AddMinutes(1))));
        Assert.False(await Idempotency.TryInsertAsync(first));
        Assert.Equal(first, await Idempotency.GetAsync(OrgA, "key-1"));
    }

    [Fact]
    public async Task A_claim_binds_the_key_until_it_is_completed_with_the_response()
    {
        var claim = IdempotencyRecord.Claim(OrgA, "key-1", "sha256:request", T0);
        Assert.True(await Idempotency.TryInsertAsync(claim));
        Assert.False(await Idempotency.TryInsertAsync(IdempotencyRecord.Claim(OrgA, "key-1", "sha256:request", T0.AddSeconds(1))));
        Assert.True((await Idempotency.GetAsync(OrgA, "key-1"))!.InProgress);

        var response = claim with { StatusCode = 201, Location = "/v1/x", Body = """{"id":"x"}""" };
        await Idempotency.CompleteAsync(response);
        Assert.Equal(response, await Idempotency.GetAsync(OrgA, "key-1"));

        // A completed record is not a claim any more: neither releasing nor completing again changes it.
        await Idempotency.ReleaseAsync(OrgA, "key-1");
        await Idempotency.CompleteAsync(response with { Body = "other" });
        Assert.Equal(response, await Idempotency.GetAsync(OrgA, "key-1"));
    }

    [Fact]
    public async Task A_released_claim_frees_the_key_for_the_retry()
    {
        Assert.True(await Idempotency.TryInsertAsync(IdempotencyRecord.Claim(OrgA, "key-1", "sha256:request", T0)));
        await Idempotency.ReleaseAsync(OrgA, "key-1");
        Assert.Null(await Idempotency.GetAsync(OrgA, "key-1"));
        Assert.True(await Idempotency.TryInsertAsync(IdempotencyRecord.Claim(OrgA, "key-1", "sha256:request", T0.AddSeconds(1))));
    }

    [Fact]
    public async Task Keys_are_scoped_to_an_organization()
    {
        var mine = Record(OrgA);
        var theirs = Record(OrgB, body: "theirs");

        Assert.True(await Idempotency.TryInsertAsync(mine));
        Assert.True(await Idempotency.TryInsertAsync(theirs));

        Assert.Equal(mine, await Idempotency.GetAsync(OrgA, "key-1"));
        Assert.Equal(theirs, await Idempotency.GetAsync(OrgB, "key-1"));
        Assert.Null(await Idempotency.GetAsync(OrgA, "key-2"));
    }

    [Fact]
    public async Task Different_keys_are_independent()
    {
        Assert.True(await Idempotency.TryInsertAsync(Record(key: "a")));
        Assert.True(await Idempotency.TryInsertAsync(Record(key: "b", body: "b")));
        Assert.Equal("b", (await Idempotency.GetAsync(OrgA, "b"))!.Body);
    }

    [Fact]
    public async Task A_key_binds_for_24_hours_and_is_free_again_afterwards()
    {
        await Idempotency.TryInsertAsync(Record());

        Assert.False(await Idempotency.TryInsertAsync(Record(body: "within", at: T0.AddHours(23))));
        var later = Record(body: "after a day", at: T0.AddHours(25));
        Assert.True(await Idempotency.TryInsertAsync(later));
        Assert.Equal(later, await Idempotency.GetAsync(OrgA, "key-1"));
    }

    [Fact]
    public async Task Only_one_of_32_concurrent_first_requests_wins_the_key()
    {
        var results = await InParallelAsync(32, i => Idempotency.TryInsertAsync(Record(body: $"request {i}")));

        Assert.Single(results, inserted => inserted);
        var winner = Array.IndexOf(results, true);
        Assert.Equal($"request {winner}", (await Idempotency.GetAsync(OrgA, "key-1"))!.Body);
    }
}

using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The contract every <see cref="IApiKeyStore"/> honours, written once: keys are found by hash, carry an id, an origin
/// and a name, are listed per organization in creation order, and are revoked by deletion at once. Keys stored before
/// key ids existed (hash as id, no origin) are still found and read as <see cref="ApiKeyOrigin.Legacy"/>.
/// </summary>
public abstract class ApiKeyStoreContract : IAsyncLifetime
{
    protected const string OrgA = "org_alpha";
    protected const string OrgB = "org_beta";
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected IApiKeyStore Keys { get; private set; } = null!;

    /// <summary>Opens the store on this test's own storage; called again after <see cref="CloseAsync"/> it sees the same data.</summary>
    protected abstract Task<IApiKeyStore> OpenAsync();

    protected abstract Task CloseAsync();

    protected abstract Task DeleteStorageAsync();

    /// <summary>Writes a key as versions before key ids stored it (the hash as id, a body without id, name or origin), with the store closed.</summary>
    protected abstract Task WriteLegacyKeyAsync(string keyHash, string organizationId, string prefix, DateTimeOffset createdAt);

    public async Task InitializeAsync() => Keys = await OpenAsync();

    public async Task DisposeAsync()
    {
        await CloseAsync();
        await DeleteStorageAsync();
    }

    private async Task ReopenAsync()
    {
        await CloseAsync();
        Keys = await OpenAsync();
    }

    private static ApiKey NewKey(string org = OrgA, DateTimeOffset? at = null, ApiKeyOrigin origin = ApiKeyOrigin.Admin, string? name = "ci") =>
        ApiKey.Create(ApiKey.NewSecret(), org, name, origin, at ?? T0);

    private async Task<List<string>> ListedIdsAsync(string? org, SortOrder order = SortOrder.Asc)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await Keys.ListAsync(org, new PageRequest(2, After: after, Order: order));
            ids.AddRange(page.Data.Select(k => k.Id));
            after = page.After;
        } while (after is not null);
        return ids;
    }

    [Fact]
    public async Task A_key_is_found_by_its_hash_with_everything_it_was_stored_with()
    {
        var key = NewKey(origin: ApiKeyOrigin.Configured, name: "billing");

        Assert.True(await Keys.InsertAsync(key));

        Assert.Equal(key, await Keys.FindByHashAsync(key.KeyHash));
        Assert.StartsWith("key_", key.Id);
        Assert.Null(await Keys.FindByHashAsync(ApiKey.Hash("not a stored key")));
    }

    [Fact]
    public async Task A_second_key_with_the_same_hash_is_refused_and_the_first_one_kept()
    {
        var first = NewKey(OrgA);
        var twin = first with { Id = ResourceIds.New(ResourceIds.ApiKey, T0), OrganizationId = OrgB };

        Assert.True(await Keys.InsertAsync(first));
        Assert.False(await Keys.InsertAsync(twin));

        Assert.Equal(first, await Keys.FindByHashAsync(first.KeyHash));
        Assert.Equal([first.Id], await ListedIdsAsync(null));
    }

    [Fact]
    public async Task A_deleted_key_is_not_found_from_the_next_lookup_on()
    {
        var revoked = NewKey();
        var kept = NewKey();
        await Keys.InsertAsync(revoked);
        await Keys.InsertAsync(kept);

        Assert.True(await Keys.DeleteAsync(revoked.Id));

        Assert.Null(await Keys.FindByHashAsync(revoked.KeyHash));
        Assert.Equal(kept, await Keys.FindByHashAsync(kept.KeyHash));
        Assert.False(await Keys.DeleteAsync(revoked.Id));
        Assert.False(await Keys.DeleteAsync(ResourceIds.New(ResourceIds.ApiKey)));
    }

    [Fact]
    public async Task An_update_changes_organization_name_and_origin_and_keeps_id_hash_and_creation_time()
    {
        var key = NewKey(OrgA, origin: ApiKeyOrigin.Admin, name: "old");
        await Keys.InsertAsync(key);

        var moved = key with { OrganizationId = OrgB, Name = "new", Origin = ApiKeyOrigin.Configured };
        Assert.True(await Keys.UpdateAsync(moved));

        Assert.Equal(moved, await Keys.FindByHashAsync(key.KeyHash));
        Assert.Equal([key.Id], await ListedIdsAsync(OrgB));
        Assert.Empty(await ListedIdsAsync(OrgA));
        Assert.False(await Keys.UpdateAsync(NewKey()));
    }

    [Fact]
    public async Task Keys_are_listed_per_organization_in_creation_order_page_by_page()
    {
        var keysOfA = Enumerable.Range(0, 5).Select(i => NewKey(OrgA, T0.AddMinutes(i))).ToList();
        var keyOfB = NewKey(OrgB, T0.AddMinutes(2));
        foreach (var key in keysOfA.Append(keyOfB).Reverse())
            await Keys.InsertAsync(key);

        Assert.Equal(keysOfA.Select(k => k.Id), await ListedIdsAsync(OrgA));
        Assert.Equal(keysOfA.Select(k => k.Id).Reverse(), await ListedIdsAsync(OrgA, SortOrder.Desc));
        Assert.Equal([keyOfB.Id], await ListedIdsAsync(OrgB));
        Assert.Equal(6, (await ListedIdsAsync(null)).Count);

        var firstPage = await Keys.ListAsync(OrgA, new PageRequest(2, Order: SortOrder.Asc));
        Assert.Equal(keysOfA.Take(2), firstPage.Data);
        Assert.Equal(keysOfA[1].Id, firstPage.After);
    }

    [Fact]
    public async Task Any_tells_an_empty_store_from_one_with_a_key()
    {
        Assert.False(await Keys.AnyAsync());

        await Keys.InsertAsync(NewKey());

        Assert.True(await Keys.AnyAsync());
    }

    [Fact]
    public async Task Keys_outlive_the_process_that_stored_them()
    {
        var key = NewKey(origin: ApiKeyOrigin.Bootstrap, name: null);
        await Keys.InsertAsync(key);

        await ReopenAsync();

        Assert.Equal(key, await Keys.FindByHashAsync(key.KeyHash));
    }

    [Fact]
    public async Task Keys_stored_before_key_ids_existed_are_found_listed_and_deleted_by_their_hash()
    {
        var (hashA, hashB) = (ApiKey.Hash(ApiKey.NewSecret()), ApiKey.Hash(ApiKey.NewSecret()));
        await CloseAsync();
        await WriteLegacyKeyAsync(hashA, OrgA, "rr_aaa", T0);
        await WriteLegacyKeyAsync(hashB, OrgB, "rr_bbb", T0);
        Keys = await OpenAsync();
        var current = NewKey(OrgA);
        Assert.True(await Keys.InsertAsync(current));

        var legacy = await Keys.FindByHashAsync(hashA);

        Assert.Equal(new ApiKey(hashA, hashA, OrgA, null, "rr_aaa", ApiKeyOrigin.Legacy, T0), legacy);
        Assert.Equal(ApiKeyOrigin.Legacy, (await Keys.FindByHashAsync(hashB))!.Origin);
        Assert.Equal(3, (await ListedIdsAsync(null)).Count);
        Assert.False(await Keys.InsertAsync(NewKey() with { KeyHash = hashA }));

        Assert.True(await Keys.DeleteAsync(hashA));
        Assert.Null(await Keys.FindByHashAsync(hashA));
        Assert.NotNull(await Keys.FindByHashAsync(hashB));
    }
}

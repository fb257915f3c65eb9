using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// <c>/admin/keys</c>: stored API keys created, listed and revoked over real HTTP by the holder of <c>Auth:AdminKey</c>.
/// API keys never open these routes, the admin key never opens <c>/v1</c>, and without an admin key they do not exist.
/// </summary>
public sealed class AdminKeyRoutesTests : IDisposable
{
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?> { ["Auth:AdminKey"] = StandaloneHost.AdminKey });

    private ApiClient Admin(string? key = StandaloneHost.AdminKey, bool bearer = false)
    {
        var http = _host.CreateClient();
        if (key is not null && bearer)
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        else if (key is not null)
            http.DefaultRequestHeaders.Add("Admin-Key", key);
        return new ApiClient(http);
    }

    private static JsonObject NewKeyBody(string organizationId, string? name = null) => new() { ["organization_id"] = organizationId, ["name"] = name };

    [Fact]
    public async Task A_created_key_is_shown_once_works_on_v1_for_its_organization_and_is_listed_without_secret()
    {
        var created = (await Admin().PostAsync("/admin/keys", NewKeyBody("org_new", "ci"))).ShouldBe(HttpStatusCode.Created).Json!;

        var id = created["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();
        Assert.StartsWith("key_", id);
        Assert.Equal("org_new", created["organization_id"]!.GetValue<string>());
        Assert.Equal("ci", created["name"]!.GetValue<string>());
        Assert.Equal("admin", created["origin"]!.GetValue<string>());
        Assert.Equal(secret[..6], created["prefix"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(created["created_at"]!.GetValue<string>()) > DateTimeOffset.UtcNow.AddMinutes(-5));

        var api = _host.Client(secret);
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        (await _host.Client(StandaloneHost.KeyA).GetAsync($"/v1/workflows/{workflowId}")).ShouldBe(HttpStatusCode.NotFound);

        var listed = (await Admin().GetAsync("/admin/keys?organization_id=org_new")).ShouldBe(HttpStatusCode.OK).Json!;
        var item = Assert.Single(listed["data"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "organization_id", "name", "prefix", "created_at", "origin"], item.Select(p => p.Key));
        Assert.Equal(id, item["id"]!.GetValue<string>());
        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.Null(listed["list_metadata"]!["after"]);
    }

    [Fact]
    public async Task Every_organization_s_keys_are_listed_without_a_filter_with_their_origin_page_by_page()
    {
        await Admin().PostAsync("/admin/keys", NewKeyBody("org_a"));

        var page = (await Admin().GetAsync("/admin/keys?limit=2&order=asc")).ShouldBe(HttpStatusCode.OK).Json!;
        var next = (await Admin().GetAsync($"/admin/keys?limit=2&order=asc&after={page["list_metadata"]!["after"]!.GetValue<string>()}")).ShouldBe(HttpStatusCode.OK).Json!;

        var keys = page["data"]!.AsArray().Concat(next["data"]!.AsArray()).Select(k => (k!["organization_id"]!.GetValue<string>(), k["origin"]!.GetValue<string>())).ToList();
        // The two configured keys are stored in the same millisecond at start; the admin key comes after both.
        Assert.Equal([("org_a", "configured"), ("org_b", "configured")], keys.Take(2).Order());
        Assert.Equal(("org_a", "admin"), keys[2]);
        Assert.Equal(3, keys.Count);
        Assert.Null(next["list_metadata"]!["after"]);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_the_next_request_on()
    {
        var created = (await Admin().PostAsync("/admin/keys", NewKeyBody("org_a"))).ShouldBe(HttpStatusCode.Created).Json!;
        var api = _host.Client(created["key"]!.GetValue<string>());
        (await api.GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);

        var id = created["id"]!.GetValue<string>();
        (await Admin().DeleteAsync($"/admin/keys/{id}")).ShouldBe(HttpStatusCode.NoContent);

        AssertError(await api.GetAsync("/v1/workflows"), HttpStatusCode.Unauthorized, "unauthorized");
        AssertError(await Admin().DeleteAsync($"/admin/keys/{id}"), HttpStatusCode.NotFound, "api_key_not_found");
        AssertError(await Admin().DeleteAsync("/admin/keys/wf_not_a_key"), HttpStatusCode.NotFound, "api_key_not_found");
        (await _host.Client(StandaloneHost.KeyA).GetAsync("/v1/workflows")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_admin_key_works_as_a_bearer_token_too()
    {
        (await Admin(bearer: true).GetAsync("/admin/keys")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("rr_not_the_admin_key_8Hq2Lm5Xv9Zc3Tn7", false)]
    [InlineData(StandaloneHost.KeyA, false)]
    [InlineData(StandaloneHost.KeyA, true)]
    public async Task Without_the_admin_key_every_admin_route_is_a_401(string? key, bool bearer)
    {
        var caller = Admin(key, bearer);

        AssertError(await caller.PostAsync("/admin/keys", NewKeyBody("org_a")), HttpStatusCode.Unauthorized, "unauthorized");
        AssertError(await caller.GetAsync("/admin/keys"), HttpStatusCode.Unauthorized, "unauthorized");
        AssertError(await caller.DeleteAsync("/admin/keys/key_x"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_admin_key_is_no_api_key()
    {
        AssertError(await _host.Client(StandaloneHost.AdminKey).GetAsync("/v1/workflows"), HttpStatusCode.Unauthorized, "unauthorized");

        var bearer = new ApiClient(_host.CreateClient());
        bearer.Http.DefaultRequestHeaders.Authorization = new("Bearer", StandaloneHost.AdminKey);
        AssertError(await bearer.GetAsync("/v1/workflows"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("""{"name": "ci"}""", "organization_id", "missing")]
    [InlineData("""{"organization_id": 7}""", "organization_id", "string_type")]
    [InlineData("""{"organization_id": ""}""", "organization_id", "string_too_short")]
    [InlineData("""{"organization_id": "org_a", "name": ["x"]}""", "name", "string_type")]
    [InlineData("""{"organization_id": "org_a", "secret": "mine"}""", "secret", "extra_forbidden")]
    public async Task A_bad_body_is_a_422_naming_the_field(string body, string field, string type)
    {
        var response = await Admin().PostRawAsync("/admin/keys", body);

        response.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(response.Json!["detail"]!.AsArray())!;
        Assert.Equal(["body", field], error["loc"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(type, error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_organization_id_longer_than_255_characters_or_a_malformed_body_is_a_422()
    {
        var tooLong = await Admin().PostAsync("/admin/keys", NewKeyBody(new string('o', 256)));
        tooLong.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("string_too_long", tooLong.Json!["detail"]![0]!["type"]!.GetValue<string>());

        var malformed = await Admin().PostRawAsync("/admin/keys", """{"organization_id": """);
        malformed.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("json_invalid", malformed.Json!["detail"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_admin_key_configured_the_admin_routes_do_not_exist()
    {
        using var host = new StandaloneHost();
        var caller = new ApiClient(host.CreateClient());
        caller.Http.DefaultRequestHeaders.Add("Admin-Key", StandaloneHost.AdminKey);

        (await caller.PostAsync("/admin/keys", NewKeyBody("org_a"))).ShouldBe(HttpStatusCode.NotFound);
        (await caller.GetAsync("/admin/keys")).ShouldBe(HttpStatusCode.NotFound);
        (await caller.DeleteAsync("/admin/keys/key_x")).ShouldBe(HttpStatusCode.NotFound);
    }

    private static void AssertError(ApiClient.Response response, HttpStatusCode status, string code)
    {
        response.ShouldBe(status);
        Assert.Equal(code, response.Json!["detail"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(response.Json["detail"]!["message"]!.GetValue<string>()));
    }

    public void Dispose() => _host.Dispose();
}

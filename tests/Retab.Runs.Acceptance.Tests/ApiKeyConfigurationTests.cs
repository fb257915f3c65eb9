using System.Net;
using LiteDB;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Configuration is the source of truth for configured keys (<c>Auth:ApiKeys</c>): a start revokes the stored ones it
/// no longer lists and refuses weak ones; keys from the admin routes and the first start are not its to touch.
/// Each host here runs on the same real LiteDB file, restart after restart.
/// </summary>
public sealed class ApiKeyConfigurationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));

    private static Dictionary<string, string?> Configured(params (string Key, string Organization)[] keys)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Auth:ApiKeys:{i}:Key"] = keys[i].Key;
            settings[$"Auth:ApiKeys:{i}:OrganizationId"] = keys[i].Organization;
        }
        return settings;
    }

    private static Dictionary<string, string?> WithAdminKey(Dictionary<string, string?> settings) =>
        new(settings) { ["Auth:AdminKey"] = StandaloneHost.AdminKey };

    private static async Task<HttpStatusCode> StatusWith(StandaloneHost host, string key) => (await host.Client(key).GetAsync("/v1/workflows")).Status;

    [Fact]
    public async Task A_key_removed_from_configuration_is_refused_after_the_restart()
    {
        using (var host = new StandaloneHost(_folder))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusWith(host, StandaloneHost.KeyA));
            Assert.Equal(HttpStatusCode.OK, await StatusWith(host, StandaloneHost.KeyB));
        }

        using var restarted = new StandaloneHost(_folder, withKeys: false, settings: Configured((StandaloneHost.KeyA, "org_a")));

        Assert.Equal(HttpStatusCode.OK, await StatusWith(restarted, StandaloneHost.KeyA));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(restarted, StandaloneHost.KeyB));
    }

    [Fact]
    public async Task A_key_moved_to_another_organization_in_configuration_sees_that_organization_after_the_restart()
    {
        string workflowOfB;
        using (var host = new StandaloneHost(_folder))
            workflowOfB = await host.Client(StandaloneHost.KeyB).CreateWorkflowAsync(("block_echo", Functions.Echo));

        using var restarted = new StandaloneHost(_folder, withKeys: false, settings: Configured((StandaloneHost.KeyA, "org_b")));

        (await restarted.Client(StandaloneHost.KeyA).GetAsync($"/v1/workflows/{workflowOfB}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Keys_from_the_admin_routes_and_the_first_start_outlive_every_change_of_configuration()
    {
        string bootstrapKey, adminKey;
        using (var host = new StandaloneHost(_folder, withKeys: false, settings: WithAdminKey([])))
        {
            host.CreateClient();
            bootstrapKey = (await File.ReadAllTextAsync(Path.Combine(_folder, "api-key"))).Trim();
            var admin = new ApiClient(host.CreateClient());
            admin.Http.DefaultRequestHeaders.Add("Admin-Key", StandaloneHost.AdminKey);
            adminKey = (await admin.PostAsync("/admin/keys", new JsonObject { ["organization_id"] = "org_c" })).ShouldBe(HttpStatusCode.Created).Json!["key"]!.GetValue<string>();
        }

        using (var configured = new StandaloneHost(_folder))
        {
            foreach (var key in new[] { bootstrapKey, adminKey, StandaloneHost.KeyA, StandaloneHost.KeyB })
                Assert.Equal(HttpStatusCode.OK, await StatusWith(configured, key));
        }

        using var unconfigured = new StandaloneHost(_folder, withKeys: false);
        Assert.Equal(HttpStatusCode.OK, await StatusWith(unconfigured, bootstrapKey));
        Assert.Equal(HttpStatusCode.OK, await StatusWith(unconfigured, adminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(unconfigured, StandaloneHost.KeyA));
    }

    [Fact]
    public async Task Keys_stored_by_an_older_version_are_kept_when_configured_or_the_first_start_key_and_revoked_otherwise()
    {
        var (bootstrapKey, droppedKey) = (ApiKey.NewSecret(), ApiKey.NewSecret());
        Directory.CreateDirectory(_folder);
        using (var db = new LiteDbContext(Path.Combine(_folder, "retab-runs.db")))
        {
            foreach (var (secret, organization) in new[] { (StandaloneHost.KeyA, "org_a"), (bootstrapKey, "default"), (droppedKey, "org_old") })
            {
                var hash = ApiKey.Hash(secret);
                db.ApiKeys.Insert(new BsonDocument
                {
                    ["_id"] = hash,
                    ["org"] = organization,
                    ["body"] = $$"""{"KeyHash":"{{hash}}","OrganizationId":"{{organization}}","Prefix":"{{secret[..6]}}","CreatedAt":"2025-03-01T12:00:00+00:00"}""",
                });
            }
        }
        await File.WriteAllTextAsync(Path.Combine(_folder, "api-key"), bootstrapKey + "\n");

        using var upgraded = new StandaloneHost(_folder, withKeys: false, settings: WithAdminKey(Configured((StandaloneHost.KeyA, "org_a"))));

        Assert.Equal(HttpStatusCode.OK, await StatusWith(upgraded, StandaloneHost.KeyA));
        Assert.Equal(HttpStatusCode.OK, await StatusWith(upgraded, bootstrapKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(upgraded, droppedKey));
        var admin = new ApiClient(upgraded.CreateClient());
        admin.Http.DefaultRequestHeaders.Add("Admin-Key", StandaloneHost.AdminKey);
        var listed = (await admin.GetAsync("/admin/keys?order=asc")).ShouldBe(HttpStatusCode.OK).Json!["data"]!.AsArray();
        Assert.Equal(
            [("org_a", "configured", "2025-03-01T12:00:00.000Z"), ("default", "bootstrap", "2025-03-01T12:00:00.000Z")],
            listed.Select(k => (k!["organization_id"]!.GetValue<string>(), k["origin"]!.GetValue<string>(), k["created_at"]!.GetValue<string>())).OrderByDescending(k => k.Item2));
        Assert.All(listed, k => Assert.StartsWith("key_", k!["id"]!.GetValue<string>()));
    }

    public static TheoryData<Dictionary<string, string?>, string> Refused => new()
    {
        {
            Configured((StandaloneHost.KeyA, "org_a"), ("too-short-a-key", "org_weak")),
            "Auth:ApiKeys:1 (organization 'org_weak') is too weak: it has 15 characters, and a key needs at least 32. Generate one with: openssl rand -base64 32"
        },
        {
            Configured((new string('x', 48), "org_weak")),
            "Auth:ApiKeys:0 (organization 'org_weak') is too weak: it is a shorter string repeated. Generate one with: openssl rand -base64 32"
        },
        {
            Configured((StandaloneHost.KeyA, "org_a"), (StandaloneHost.KeyA, "org_b")),
            "Auth:ApiKeys:1 (organization 'org_b') repeats the key of Auth:ApiKeys:0; each key belongs to one organization."
        },
        {
            Configured((StandaloneHost.KeyA, "")),
            "Auth:ApiKeys:0 has no OrganizationId."
        },
        {
            new(Configured((StandaloneHost.KeyA, "org_a"))) { ["Auth:AdminKey"] = "letmein-now" },
            "Auth:AdminKey is too weak: it has 11 characters, and a key needs at least 32. Generate one with: openssl rand -base64 32"
        },
        {
            new(Configured((StandaloneHost.KeyA, "org_a"))) { ["Auth:AdminKey"] = StandaloneHost.KeyA },
            "Auth:AdminKey is also configured as Auth:ApiKeys:0; the admin key must differ from every API key."
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_weak_or_ambiguous_key_fails_the_start_naming_its_setting_and_never_the_key(Dictionary<string, string?> settings, string message)
    {
        using var host = new StandaloneHost(_folder, withKeys: false, settings: settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Equal(message, error.Message);
        Assert.All(settings.Where(s => s.Key.EndsWith("Key", StringComparison.Ordinal) && s.Value is { Length: > 0 }),
            s => Assert.DoesNotContain(s.Value!, error.Message));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

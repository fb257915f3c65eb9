namespace Retab.Runs.Gateway.Auth;

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Keys to accept, each bound to an organization. Configuration is their source of truth: each start stores the
    /// listed keys and revokes the stored ones it no longer lists (keys from the admin routes and the bootstrap key are
    /// not its to touch). An entry with an empty key is skipped (a deployment template may leave it unset); any other
    /// must pass <see cref="KeyStrength"/>, or the start fails.
    /// </summary>
    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];

    /// <summary>
    /// The key of the admin routes (<c>/admin/keys</c>), sent as <c>Admin-Key</c> or <c>Authorization: Bearer</c>.
    /// Unset, those routes do not exist. It must pass <see cref="KeyStrength"/> and differ from every API key.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// When set and the store holds no key at all, the first start creates organization <c>default</c> and one
    /// key, saves it to this file (mode 600) and logs it once. The standalone host points it into its data folder.
    /// </summary>
    public string? BootstrapKeyFile { get; set; }
}

public sealed class ConfiguredApiKey
{
    public string Key { get; set; } = "";
    public string OrganizationId { get; set; } = "";

    /// <summary>Shown in the admin routes' key list, to tell keys apart.</summary>
    public string? Name { get; set; }
}

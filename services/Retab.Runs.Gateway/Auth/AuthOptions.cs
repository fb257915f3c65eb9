namespace Retab.Runs.Gateway.Auth;

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Keys to accept, each bound to an organization (seeded into the store at start).</summary>
    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];

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
}

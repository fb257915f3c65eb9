namespace Retab.Runs.Compatibility.Tests.Hosts;

/// <summary>The API key of the one organization the hosts serve (strong enough for the gateway's key rules).</summary>
public static class Keys
{
    public const string OrganizationId = "org_compat";
    public const string Valid = "rr_compat_org_7Jd3Qx8Lm2Vw5Rk9Tn4Hc6Pz";

    /// <summary>Well formed, but no organization's: what a 401 answers.</summary>
    public const string Unknown = "rr_compat_nobody_4Fz8Wq2Lx6Ck9Vn3Jm7Rt";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:ApiKeys:0:Key"] = Valid,
        ["Auth:ApiKeys:0:OrganizationId"] = OrganizationId,
    };
}

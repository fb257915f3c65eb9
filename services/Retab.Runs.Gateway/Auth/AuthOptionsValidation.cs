using Microsoft.Extensions.Options;

namespace Retab.Runs.Gateway.Auth;

/// <summary>
/// Checks <c>Auth</c> at start: every configured key names an organization, is strong (<see cref="KeyStrength"/>) and
/// appears once; the admin key is strong and is no API key. Each problem names the setting's position
/// (<c>Auth:ApiKeys:0</c>) and organization, never the key.
/// </summary>
public sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        var positions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var (key, organization) = (options.ApiKeys[i].Key, options.ApiKeys[i].OrganizationId);
            var at = $"{AuthOptions.Section}:{nameof(AuthOptions.ApiKeys)}:{i}";
            if (key.Length == 0)
                continue;
            if (string.IsNullOrWhiteSpace(organization))
                problems.Add($"{at} has no OrganizationId.");
            if (KeyStrength.Weakness(key) is { } weakness)
                problems.Add($"{at} (organization '{organization}') is too weak: {weakness}. {KeyStrength.Advice}");
            if (positions.TryGetValue(key, out var first))
                problems.Add($"{at} (organization '{organization}') repeats the key of {first}; each key belongs to one organization.");
            else
                positions[key] = at;
        }

        if (options.AdminKey is { Length: > 0 } adminKey)
        {
            var at = $"{AuthOptions.Section}:{nameof(AuthOptions.AdminKey)}";
            if (KeyStrength.Weakness(adminKey) is { } weakness)
                problems.Add($"{at} is too weak: {weakness}. {KeyStrength.Advice}");
            if (positions.TryGetValue(adminKey, out var apiKey))
                problems.Add($"{at} is also configured as {apiKey}; the admin key must differ from every API key.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

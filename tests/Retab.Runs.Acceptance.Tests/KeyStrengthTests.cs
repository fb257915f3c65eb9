using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>The rule a configured key (<c>Auth:ApiKeys:N:Key</c>, <c>Auth:AdminKey</c>) must pass for the service to start.</summary>
public sealed class KeyStrengthTests
{
    public static TheoryData<string, string> Strong => new()
    {
        { "openssl rand -hex 16", "9f86d081884c7d659a2feaa0c55ad015" },
        { "openssl rand -base64 24", "q3Vx0/9kPz+LmW2aT8sRb1nYc4dE5fGh" },
        { "a UUID", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
        { "a generated key", "rr_MqHKCDKoQHBCJhU6Ffl89w5SW0O5cckUJ3iQnh5t" },
    };

    public static TheoryData<string, string> Weak => new()
    {
        { "short-but-random-9Xk2", "it has 21 characters, and a key needs at least 32" },
        { new string('k', 40), "it is a shorter string repeated" },
        { "changemechangemechangemechangeme", "it is a shorter string repeated" },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "its characters carry about 6 bits (Shannon entropy of their counts), and a key needs at least 80" },
        { "0123012301230123012301230123012x", "its characters carry about 68 bits (Shannon entropy of their counts), and a key needs at least 80" },
        { "a key with spaces in it 7Hq2Lm5Xv9Zc3Tn", "it holds a space, a control character or a non-ASCII character; use printable ASCII only" },
        { "clé-non-ascii-8Hq2Lm5Xv9Zc3Tn7Wp4Kj6Rd", "it holds a space, a control character or a non-ASCII character; use printable ASCII only" },
    };

    [Theory]
    [MemberData(nameof(Strong))]
    public void Keys_from_a_random_generator_pass(string generator, string key) =>
        Assert.True(KeyStrength.Weakness(key) is null, $"{generator}: {KeyStrength.Weakness(key)}");

    [Theory]
    [MemberData(nameof(Weak))]
    public void Weak_keys_are_refused_with_the_reason_and_without_quoting_them(string key, string reason)
    {
        var weakness = KeyStrength.Weakness(key);

        Assert.Equal(reason, weakness);
        Assert.DoesNotContain(key, weakness);
    }
}

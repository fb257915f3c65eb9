using System.Security.Cryptography;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The worked example of the Standard Webhooks specification.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signing_reproduces_the_specifications_example()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(WebhookSecret.Decode(SpecSecret), SpecId, SpecTimestamp, SpecBody));
    }

    [Fact]
    public void A_signature_verifies_only_for_the_same_key_id_timestamp_and_body()
    {
        var key = WebhookSecret.Decode(SpecSecret);

        Assert.True(WebhookSignature.Verify(key, SpecId, SpecTimestamp, SpecBody, SpecSignature));
        Assert.True(WebhookSignature.Verify(key, SpecId, SpecTimestamp, SpecBody, $"v1,bm90IGl0 {SpecSignature}"));
        Assert.False(WebhookSignature.Verify(key, SpecId, SpecTimestamp, SpecBody + " ", SpecSignature));
        Assert.False(WebhookSignature.Verify(key, SpecId, SpecTimestamp + 1, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(key, "msg_other", SpecTimestamp, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(WebhookSecret.Decode(WebhookSecret.New()), SpecId, SpecTimestamp, SpecBody, SpecSignature));
    }

    [Fact]
    public void New_secrets_are_whsec_and_base64_of_random_bytes_in_range()
    {
        var secret = WebhookSecret.New();

        Assert.StartsWith("whsec_", secret);
        Assert.True(WebhookSecret.TryDecode(secret, out var key));
        Assert.InRange(key.Length, WebhookSecret.MinBytes, WebhookSecret.MaxBytes);
        Assert.NotEqual(secret, WebhookSecret.New());
    }

    public static TheoryData<string?> InvalidSecrets => new()
    {
        null, "", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!",
        "whsec_" + Convert.ToBase64String(new byte[23]), "whsec_" + Convert.ToBase64String(new byte[65]), "WHSEC_" + Convert.ToBase64String(new byte[32]),
    };

    [Theory]
    [MemberData(nameof(InvalidSecrets))]
    public void Secrets_outside_the_specifications_shape_are_refused(string? secret)
    {
        Assert.False(WebhookSecret.TryDecode(secret, out _));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(64)]
    public void Secrets_of_24_to_64_bytes_are_accepted(int bytes)
    {
        var raw = RandomNumberGenerator.GetBytes(bytes);
        Assert.True(WebhookSecret.TryDecode("whsec_" + Convert.ToBase64String(raw), out var key));
        Assert.Equal(raw, key);
    }
}

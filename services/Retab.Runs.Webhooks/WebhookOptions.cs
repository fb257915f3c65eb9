using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Webhooks;

/// <summary>The <c>Webhooks</c> settings.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Lets webhooks target private, loopback and link-local addresses (a receiver on the same host or network; tests).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long one attempt may take, connection included; a slower receiver counts as failed and is retried.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay before the first retry; each further one doubles it (with ±20 % jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A delivery not accepted this long after it was created is marked failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sender looks for due deliveries (a new delivery recorded in the same process wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in flight at once, over all webhooks.</summary>
    public int MaxConcurrentSends { get; set; } = 32;

    /// <summary>Attempts in flight at once to one webhook, so a slow receiver cannot take every sending slot.</summary>
    public int MaxConcurrentSendsPerWebhook { get; set; } = 2;

    public RetrySchedule Schedule => new(RetryBaseDelay, RetryMaxDelay, GiveUpAfter);
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("A webhook of the caller's organization. The secret (given, or generated when absent) is shown once, in the answer.")]
public sealed record CreateWebhookRequest(
    [property: MinLength(1), MaxLength(WebhookUrls.MaxLength),
        Description("An http or https URL without credentials; private, loopback and link-local hosts are refused unless `Webhooks:AllowPrivateTargets`.")]
    string Url,
    [property: MinLength(1), Description("`test_run.completed` (every finished run) and/or `test_run.regressed` (a completed run with regressions).")]
    IReadOnlyList<string> Events,
    [property: Description("A Standard Webhooks secret: `whsec_` + base64 of 24 to 64 bytes. Generated when absent.")]
    string? Secret = null);

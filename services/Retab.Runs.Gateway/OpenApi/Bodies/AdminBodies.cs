using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Retab.Runs.Gateway.Apis;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Description("A new API key for an organization; its secret is shown once, in the answer.")]
public sealed record CreateApiKeyRequest(
    [property: MinLength(1), MaxLength(AdminApi.MaxTextLength)] string OrganizationId,
    [property: MaxLength(AdminApi.MaxTextLength)] string? Name = null);

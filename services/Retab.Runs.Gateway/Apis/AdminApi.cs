using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>
/// Stored API keys, for the operator holding <c>Auth:AdminKey</c> (<see cref="AdminKeyFilter"/>). Without an admin key
/// the routes are not mapped at all and answer 404 as any unknown path does (and the OpenAPI document, which describes
/// what is mapped, leaves them out).
/// </summary>
public static class AdminApi
{
    /// <summary>Longest organization id or key name the routes accept.</summary>
    public const int MaxTextLength = 255;

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        if (string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.AdminKey))
            return app;
        var keys = app.MapGroup("/admin/keys").AddEndpointFilter<AdminKeyFilter>().WithMetadata(EndpointSecurity.AdminKey).WithTags("Admin");
        keys.MapPost("/", CreateKey).WithName("create_api_key").WithSummary("Create an API key")
            .AcceptsJson<CreateApiKeyRequest>().Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created);
        keys.MapGet("/", ListKeys).WithName("list_api_keys").WithSummary("List API keys")
            .WithQuery([QueryParameters.OrganizationId, .. QueryParameters.Page]).Produces<ListResponse<ApiKeyResponse>>().ProducesValidationError();
        keys.MapDelete("/{key_id}", RevokeKey).WithName("revoke_api_key").WithSummary("Revoke an API key")
            .Produces(StatusCodes.Status204NoContent).ProducesError(StatusCodes.Status404NotFound, "api_key_not_found");
        return app;
    }

    /// <summary><c>{organization_id, name?}</c> → 201 with the new key's secret, shown this once.</summary>
    public static async Task<IResult> CreateKey(HttpContext http, IApiKeyStore keys, TimeProvider time)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["organization_id", "name"]);
        var organizationId = reader.RequiredString(body, "organization_id");
        var name = reader.OptionalString(body, "name");
        foreach (var (field, value) in new[] { ("organization_id", organizationId), ("name", name) })
        {
            if (value?.Length > MaxTextLength)
                reader.Add(new FieldError(["body", field], $"String should have at most {MaxTextLength} characters", "string_too_long"));
        }
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var secret = ApiKey.NewSecret();
        var key = ApiKey.Create(secret, organizationId!, name, ApiKeyOrigin.Admin, Clock.Now(time));
        if (!await keys.InsertAsync(key, http.RequestAborted))
            throw new InvalidOperationException("A new random API key collided with a stored one.");
        return Results.Json(CreatedApiKeyResponse.From(key, secret), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The keys of <c>organization_id</c>, or of every organization without it; paged as every list (DESIGN §3.1).</summary>
    public static async Task<IResult> ListKeys(HttpContext http, IApiKeyStore keys)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        var organizationId = query.String("organization_id");
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var listed = await keys.ListAsync(organizationId, page, http.RequestAborted);
        return Results.Ok(ListResponse<ApiKeyResponse>.From(listed, ApiKeyResponse.From));
    }

    /// <summary>Revokes the key at once: the next request presenting it is a 401.</summary>
    public static async Task<IResult> RevokeKey(string key_id, HttpContext http, IApiKeyStore keys) =>
        ResourceIds.HasPrefix(key_id, ResourceIds.ApiKey) && await keys.DeleteAsync(key_id, http.RequestAborted)
            ? Results.NoContent()
            : ApiErrors.NotFound("api_key_not_found", $"API key '{key_id}' does not exist.");
}

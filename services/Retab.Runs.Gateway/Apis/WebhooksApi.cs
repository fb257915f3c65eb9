using System.Text.Json;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Validation;
using Retab.Runs.Core.Webhooks;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Responses;
using Retab.Runs.Webhooks;

namespace Retab.Runs.Gateway.Apis;

/// <summary>
/// Signed webhooks of the caller's organization, and the record of their deliveries. Another organization's webhook
/// is not found. Deliveries are made by the orchestrator (Retab.Runs.Webhooks), never by a request.
/// </summary>
public static class WebhooksApi
{
    private const string NotFoundCode = "webhook_not_found";

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/webhooks").WithTags("Webhooks");
        api.MapPost("/", CreateWebhook).WithName("create_webhook").WithSummary("Create a webhook")
            .AcceptsJson<CreateWebhookRequest>().Produces<CreatedWebhookResponse>(StatusCodes.Status201Created).ProducesValidationError();
        api.MapGet("/", ListWebhooks).WithName("list_webhooks").WithSummary("List webhooks")
            .WithQuery(QueryParameters.Page).Produces<ListResponse<WebhookResponse>>().ProducesValidationError();
        api.MapGet("/{webhook_id}", GetWebhook).WithName("get_webhook").WithSummary("Get a webhook")
            .Produces<WebhookResponse>().ProducesError(StatusCodes.Status404NotFound, NotFoundCode);
        api.MapDelete("/{webhook_id}", DeleteWebhook).WithName("delete_webhook").WithSummary("Delete a webhook")
            .Produces(StatusCodes.Status204NoContent).ProducesError(StatusCodes.Status404NotFound, NotFoundCode);
        api.MapGet("/{webhook_id}/deliveries", ListDeliveries).WithName("list_webhook_deliveries").WithSummary("List a webhook's deliveries")
            .WithQuery(QueryParameters.Page).Produces<ListResponse<WebhookDeliveryResponse>>()
            .ProducesError(StatusCodes.Status404NotFound, NotFoundCode).ProducesValidationError();
        return v1;
    }

    /// <summary><c>{url, events, secret?}</c> → 201 with the signing secret, shown this once. The URL's host is resolved, and sent nothing.</summary>
    public static async Task<IResult> CreateWebhook(HttpContext http, IWebhookStore webhooks, WebhookTargetGuard guard, TimeProvider time)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["url", "events", "secret"]);
        var url = reader.RequiredString(body, "url");
        var events = ReadEvents(reader, reader.RequiredArray(body, "events"));
        var secret = reader.OptionalString(body, "secret");
        if (secret is not null && !WebhookSecret.TryDecode(secret, out _))
            reader.Add(new FieldError(["body", "secret"],
                $"Value error, a secret is '{WebhookSecret.Prefix}' followed by the base64 of {WebhookSecret.MinBytes} to {WebhookSecret.MaxBytes} bytes", "value_error"));
        if (url is not null && await guard.ProblemWithAsync(url, http.RequestAborted) is { } problem)
            reader.Add(new FieldError(["body", "url"], $"Value error, {problem}", "value_error"));
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var now = Clock.Now(time);
        var webhook = new Webhook(ResourceIds.New(ResourceIds.Webhook, now), ApiKeyFilter.OrganizationOf(http), url!, events!, secret ?? WebhookSecret.New(), now);
        await webhooks.InsertAsync(webhook, http.RequestAborted);
        return Results.Json(CreatedWebhookResponse.From(webhook), statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> ListWebhooks(HttpContext http, IWebhookStore webhooks)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var listed = await webhooks.ListAsync(ApiKeyFilter.OrganizationOf(http), page, http.RequestAborted);
        return Results.Ok(ListResponse<WebhookResponse>.From(listed, WebhookResponse.From));
    }

    public static async Task<IResult> GetWebhook(string webhook_id, HttpContext http, IWebhookStore webhooks) =>
        await FindAsync(webhook_id, http, webhooks) is { } webhook ? Results.Ok(WebhookResponse.From(webhook)) : NotFound(webhook_id);

    /// <summary>Deletes the webhook and its deliveries: pending ones are never sent.</summary>
    public static async Task<IResult> DeleteWebhook(string webhook_id, HttpContext http, IWebhookStore webhooks) =>
        ResourceIds.HasPrefix(webhook_id, ResourceIds.Webhook) && await webhooks.DeleteAsync(ApiKeyFilter.OrganizationOf(http), webhook_id, http.RequestAborted)
            ? Results.NoContent()
            : NotFound(webhook_id);

    /// <summary>The webhook's deliveries with every attempt (status code, duration, error) and the next retry, paged as every list.</summary>
    public static async Task<IResult> ListDeliveries(string webhook_id, HttpContext http, IWebhookStore webhooks)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        if (await FindAsync(webhook_id, http, webhooks) is null)
            return NotFound(webhook_id);
        var listed = await webhooks.ListDeliveriesAsync(ApiKeyFilter.OrganizationOf(http), webhook_id, page, http.RequestAborted);
        return Results.Ok(ListResponse<WebhookDeliveryResponse>.From(listed, WebhookDeliveryResponse.From));
    }

    private static async Task<Webhook?> FindAsync(string webhookId, HttpContext http, IWebhookStore webhooks) =>
        ResourceIds.HasPrefix(webhookId, ResourceIds.Webhook) ? await webhooks.GetAsync(ApiKeyFilter.OrganizationOf(http), webhookId, http.RequestAborted) : null;

    private static IResult NotFound(string webhookId) => ApiErrors.NotFound(NotFoundCode, $"Webhook '{webhookId}' does not exist.");

    /// <summary>A non-empty list of known event types; repeats are kept once.</summary>
    private static List<string>? ReadEvents(BodyReader reader, System.Text.Json.Nodes.JsonArray? array)
    {
        if (array is null)
            return null;
        if (array.Count == 0)
        {
            reader.Add(new FieldError(["body", "events"], "List should have at least 1 item after validation, not 0", "too_short"));
            return null;
        }
        var events = new List<string>();
        var allowed = string.Join(", ", WebhookEvents.All.Select(e => $"'{e}'"));
        for (var i = 0; i < array.Count; i++)
        {
            var node = array[i];
            if (node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is var value && WebhookEvents.All.Contains(value))
            {
                if (!events.Contains(value))
                    events.Add(value);
            }
            else
                reader.Add(new FieldError(["body", "events", i], $"Input should be {allowed}", "literal_error"));
        }
        return events;
    }
}

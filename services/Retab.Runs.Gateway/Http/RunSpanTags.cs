using System.Diagnostics;
using Retab.Runs.Core.Observability;
using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// Puts the run id (from the route) and the caller's organization on the request span of the run routes, so a trace
/// found by run id starts at the HTTP request. A created run's ids are added by the handler that stores it. Costs
/// nothing when no tracer listens (no span, or one that records no attributes).
/// </summary>
public sealed class RunSpanTags : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            var http = context.HttpContext;
            if (http.Request.RouteValues.TryGetValue("run_id", out var runId) && runId is string id)
                span.SetTag(RunsTags.RunId, id);
            // Behind the /v1 group's ApiKeyFilter, which ran first: the organization is known.
            span.SetTag(RunsTags.OrganizationId, ApiKeyFilter.OrganizationOf(http));
        }
        return next(context);
    }
}

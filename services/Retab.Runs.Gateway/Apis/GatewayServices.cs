using MassTransit;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Messaging;

namespace Retab.Runs.Gateway.Apis;

/// <summary>What the route handlers need, bound as one <c>[AsParameters]</c> bundle.</summary>
public sealed class GatewayServices
{
    public required HttpContext Http { get; init; }
    public required IWorkflowStore Workflows { get; init; }
    public required ITestStore Tests { get; init; }
    public required IRunStore Runs { get; init; }
    public required IFileStore Files { get; init; }
    public required RunPlanLoader PlanLoader { get; init; }
    public required ReadModels ReadModels { get; init; }
    public required IPublishEndpoint Publish { get; init; }
    public required BoundedPublisher Publisher { get; init; }
    public required TimeProvider Time { get; init; }
    public required IOptions<ServiceLimits> Limits { get; init; }

    /// <summary>The caller's organization (set by <see cref="ApiKeyFilter"/>).</summary>
    public string OrganizationId => ApiKeyFilter.OrganizationOf(Http);

    public CancellationToken Aborted => Http.RequestAborted;
}

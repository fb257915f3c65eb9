using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Retab.Runs.Messaging;

public static class BusServiceCollectionExtensions
{
    /// <summary>Records consumers a service contributes; they join the bus when the host calls <see cref="AddRunsBus"/>.</summary>
    public static IServiceCollection AddBusParticipant(this IServiceCollection services, Action<IBusRegistrationConfigurator> register)
    {
        BusComposition.In(services).Registrations.Add(register);
        return services;
    }

    /// <summary>The one bus of this process, on the transport named by <c>Bus:Transport</c>, with every participant's consumers.</summary>
    public static IServiceCollection AddRunsBus(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var composition = BusComposition.In(services);
        services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor over the internet by default; a self-hosted service must
            // not call out (and many deployments have no route out at all).
            bus.DisableUsageTelemetry();

            foreach (var register in composition.Registrations)
                register(bus);

            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                // Store or broker hiccups are retried in place; a message that still fails goes to <queue>_error.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Ignore<InvalidMessageException>();
                    retry.Intervals(50, 200, 1000, 3000);
                });
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && EndpointNames.Durable.Contains(name))
                {
                    // Replicated, durable queues. Quorum queues on RabbitMQ 3.10 redeliver forever by default, so a
                    // message that keeps killing its consumer (a crash, not an exception) is dropped to dead-lettering
                    // after a bounded number of deliveries instead of looping.
                    rabbit.SetQuorumQueue();
                    rabbit.SetQueueArgument("x-delivery-limit", options.DeliveryLimit);
                }
            });

            switch (options.Transport)
            {
                case BusOptions.InMemory:
                    bus.UsingInMemory((context, cfg) =>
                    {
                        cfg.ConfigureJsonSerializerOptions(BusJson.AcceptInternalDepth);
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                case BusOptions.RabbitMq:
                    services.AddBrokerHealthCheck(options);
                    bus.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(new Uri(options.RabbitMqUri));
                        cfg.ConfigureJsonSerializerOptions(BusJson.AcceptInternalDepth);
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Bus:Transport '{options.Transport}' is not supported; use '{BusOptions.InMemory}' or '{BusOptions.RabbitMq}'.");
            }
        });
        return services;
    }
}

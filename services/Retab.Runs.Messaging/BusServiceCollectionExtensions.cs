using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Messaging.Health;

namespace Retab.Runs.Messaging;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// The one bus of this process, on the transport named by <c>Bus:Transport</c>, with the consumers the host names
    /// (each service's <c>Add…Consumers</c>, whose definitions hold their queues and endpoint settings).
    /// </summary>
    public static IServiceCollection AddRunsBus(
        this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var section = configuration.GetSection(BusOptions.Section);
        var options = section.Get<BusOptions>() ?? new BusOptions();
        services.AddBusPublishing(configuration);
        services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor over the internet by default; a self-hosted service must
            // not call out (and many deployments have no route out at all).
            bus.DisableUsageTelemetry();
            consumers?.Invoke(bus);

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
                    services.AddHostedService<ReceiveEndpointWatchdog>();
                    services.Replace(ServiceDescriptor.Singleton<IExecutionBacklog, RabbitMqExecutionBacklog>());
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

    /// <summary>What publishing services need without composing a bus themselves (tests compose MassTransit's harness instead).</summary>
    public static IServiceCollection AddBusPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BusOptions>().Bind(configuration.GetSection(BusOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BoundedPublisher>();
        services.TryAddSingleton<IExecutionBacklog, InProcessExecutionBacklog>();
        return services;
    }
}

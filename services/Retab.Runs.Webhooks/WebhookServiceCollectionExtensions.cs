using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Retab.Runs.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The target guard and its settings (<c>Webhooks:*</c>): what the gateway needs to accept webhooks.</summary>
    public static IServiceCollection AddWebhookTargets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.TryAddSingleton<WebhookTargetGuard>();
        return services;
    }

    /// <summary>
    /// Delivery: the sender (a hosted service) and its HTTP client, whose every connection goes through the guard.
    /// Needs a store; the consumer that records deliveries joins the bus with <see cref="AddRunWebhookConsumers"/>.
    /// </summary>
    public static IServiceCollection AddRunWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWebhookTargets(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliverySignal>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var guard = provider.GetRequiredService<WebhookTargetGuard>();
                return new SocketsHttpHandler
                {
                    ConnectCallback = guard.ConnectAsync,
                    ConnectTimeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.SendTimeout,
                    // A redirect or a proxy would send the request somewhere the guard did not choose.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            });
        services.AddHostedService<WebhookSender>();
        return services;
    }

    public static IBusRegistrationConfigurator AddRunWebhookConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TestRunCompletedWebhookConsumer, TestRunCompletedWebhookConsumerDefinition>();
        return bus;
    }
}

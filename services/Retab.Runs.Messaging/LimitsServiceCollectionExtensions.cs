using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Messaging;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Limits</c> table, read the same way by every service (each process that composes several services
    /// registers it once). A value that cannot be honoured stops the process at start, naming the setting.
    /// </summary>
    public static IServiceCollection AddServiceLimits(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IOptionsChangeTokenSource<ServiceLimits>)))
            return services; // bound already, by another service of this process
        services.AddOptions<ServiceLimits>()
            .Bind(configuration.GetSection(ServiceLimits.Section))
            .Validate(limits =>
            {
                limits.Validate();
                return true;
            })
            .ValidateOnStart();
        // The schema budget guards a process-wide compiled-schema cache, so it is process-wide too; options are
        // built at start (ValidateOnStart), before any request or message can compile a schema.
        services.PostConfigure<ServiceLimits>(limits => SchemaComplexity.MaxNodes = limits.MaxSchemaNodes);
        return services;
    }
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Retab.Runs.Messaging;

/// <summary>
/// The consumers each service contributes to its process's one bus. MassTransit is configured once per
/// process, so services record their registrations here and <see cref="BusServiceCollectionExtensions.AddRunsBus"/>
/// applies them all.
/// </summary>
public sealed class BusComposition
{
    internal List<Action<IBusRegistrationConfigurator>> Registrations { get; } = [];

    internal static BusComposition In(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(BusComposition))?.ImplementationInstance is BusComposition existing)
            return existing;
        var composition = new BusComposition();
        services.AddSingleton(composition);
        return composition;
    }
}

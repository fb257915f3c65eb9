using Microsoft.Extensions.Options;

namespace Retab.Runs.Gateway.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Section <c>Auth</c>, checked when the host starts (<see cref="AuthOptionsValidation"/>): a weak key fails the start, not a request.</summary>
    public static IServiceCollection AddRunAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        return services;
    }
}

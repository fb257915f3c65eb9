using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Gateway.Auth;

/// <summary>Seeds configured keys at start, and on a first start with none, creates the default organization's key (DESIGN §3.1).</summary>
public sealed class ApiKeySeeder(IApiKeyStore keys, IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeySeeder> logger) : IHostedService
{
    public const string DefaultOrganization = "default";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (options.Value.BootstrapKeyFile is { } keyFile)
            PrivateFiles.Tighten(keyFile);
        foreach (var configured in options.Value.ApiKeys.Where(k => k.Key.Length > 0))
            await keys.InsertAsync(new ApiKey(ApiKey.Hash(configured.Key), configured.OrganizationId, configured.Key[..Math.Min(6, configured.Key.Length)], now), cancellationToken);

        if (options.Value.BootstrapKeyFile is not { } file || await keys.AnyAsync(cancellationToken))
            return;
        var secret = File.Exists(file) ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : ApiKey.NewSecret();
        await keys.InsertAsync(new ApiKey(ApiKey.Hash(secret), DefaultOrganization, secret[..6], now), cancellationToken);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            // Created with mode 600 from the start: the key is never readable by others, not even briefly.
            var createOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                createOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var stream = new FileStream(file, createOptions);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(secret + "\n"), cancellationToken);
        }
        // Printed once, so a newcomer can copy it; later starts find the key in the store and stay silent.
        logger.LogWarning("API key: {ApiKey}", secret);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Gateway.Auth;

/// <summary>
/// Brings the stored keys in line with configuration at start (DESIGN §3.1). Each configured key
/// (<c>Auth:ApiKeys</c>) is stored once, with origin <see cref="ApiKeyOrigin.Configured"/>; a stored configured key
/// that configuration no longer lists is revoked. Keys created through the admin routes and the bootstrap key are not
/// its to touch. On a first start with no key at all, organization <c>default</c> gets one, saved to
/// <see cref="AuthOptions.BootstrapKeyFile"/>. The key never goes through the logger (logs are collected and exported,
/// OTLP included): the log line names the file, and the key itself is printed to the console only when that is a
/// terminal, so a newcomer on a laptop sees it and nothing redirected or collected ever carries it.
/// </summary>
/// <remarks>
/// Keys stored before origins were recorded (<see cref="ApiKeyOrigin.Legacy"/>) came from configuration or from the first
/// start, nothing else wrote keys then: a configured one, or the bootstrap file's, is given an id and its origin; any
/// other was configured once and is not any more, so it is revoked.
/// </remarks>
/// <remarks>
/// Configured keys are in place before the server takes requests (<see cref="StartAsync"/>); the first-start key is
/// created only once the server listens (<see cref="StartedAsync"/>), so a start that fails — a port in use — neither
/// creates nor prints a key that was never usable.
/// </remarks>
public sealed partial class ApiKeySeeder(IApiKeyStore keys, IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeySeeder> logger) : IHostedLifecycleService
{
    public const string DefaultOrganization = "default";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var configured = options.Value.ApiKeys.Where(k => k.Key.Length > 0).ToDictionary(k => ApiKey.Hash(k.Key));
        foreach (var (hash, entry) in configured)
            await StoreConfiguredAsync(hash, entry, now, cancellationToken);

        var bootstrapHash = await ReadBootstrapKeyAsync(cancellationToken) is { } bootstrap ? ApiKey.Hash(bootstrap) : null;
        foreach (var key in await AllKeysAsync(cancellationToken))
        {
            if (key.Origin == ApiKeyOrigin.Configured && !configured.ContainsKey(key.KeyHash))
                await RevokeAsync(key, "it is no longer configured", cancellationToken);
            else if (key.Origin == ApiKeyOrigin.Legacy && key.KeyHash == bootstrapHash)
                await AdoptAsync(key, key.OrganizationId, null, ApiKeyOrigin.Bootstrap, cancellationToken);
            else if (key.Origin == ApiKeyOrigin.Legacy)
                await RevokeAsync(key, "it was configured once and is no longer", cancellationToken);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => BootstrapIfEmptyAsync(Clock.Now(time), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StoreConfiguredAsync(string hash, ConfiguredApiKey entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await keys.FindByHashAsync(hash, cancellationToken);
        if (stored is null)
            await keys.InsertAsync(ApiKey.Create(entry.Key, entry.OrganizationId, entry.Name, ApiKeyOrigin.Configured, now), cancellationToken);
        else if (stored.Origin == ApiKeyOrigin.Legacy)
            await AdoptAsync(stored, entry.OrganizationId, entry.Name, ApiKeyOrigin.Configured, cancellationToken);
        else
        {
            // Moved to another organization or renamed in configuration; an admin or bootstrap key listed there is
            // configuration's from now on, and goes when configuration drops it.
            var wanted = stored with { OrganizationId = entry.OrganizationId, Name = entry.Name, Origin = ApiKeyOrigin.Configured };
            if (wanted != stored)
                await keys.UpdateAsync(wanted, cancellationToken);
        }
    }

    /// <summary>Gives a legacy key (whose id is its hash) an id of its own and its origin; creation time and prefix stay.</summary>
    private async Task AdoptAsync(ApiKey legacy, string organizationId, string? name, ApiKeyOrigin origin, CancellationToken cancellationToken)
    {
        var adopted = legacy with
        {
            Id = ResourceIds.New(ResourceIds.ApiKey, legacy.CreatedAt),
            OrganizationId = organizationId,
            Name = name,
            Origin = origin,
        };
        // Deleted first: the insert would find the legacy key by its hash and keep it. Several gateways starting at once
        // may each do this; one insert wins, the others find the key stored.
        await keys.DeleteAsync(legacy.Id, cancellationToken);
        await keys.InsertAsync(adopted, cancellationToken);
    }

    private async Task RevokeAsync(ApiKey key, string reason, CancellationToken cancellationToken)
    {
        if (await keys.DeleteAsync(key.Id, cancellationToken))
            logger.LogWarning("Revoked API key {KeyId} of organization {OrganizationId}: {Reason}.", key.Id, key.OrganizationId, reason);
    }

    private async Task<List<ApiKey>> AllKeysAsync(CancellationToken cancellationToken)
    {
        var all = new List<ApiKey>();
        string? after = null;
        do
        {
            var page = await keys.ListAsync(null, new PageRequest(PageRequest.MaxLimit, After: after, Order: SortOrder.Asc), cancellationToken);
            all.AddRange(page.Data);
            after = page.After;
        } while (after is not null);
        return all;
    }

    private async Task<string?> ReadBootstrapKeyAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapKeyFile is not { } file || !File.Exists(file))
            return null;
        PrivateFiles.Tighten(file);
        var secret = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        return secret.Length > 0 ? secret : null;
    }

    private async Task BootstrapIfEmptyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapKeyFile is not { } file || await keys.AnyAsync(cancellationToken))
            return;
        var secret = await ReadBootstrapKeyAsync(cancellationToken) ?? ApiKey.NewSecret();
        await keys.InsertAsync(ApiKey.Create(secret, DefaultOrganization, null, ApiKeyOrigin.Bootstrap, now), cancellationToken);
        if (!File.Exists(file))
        {
            PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(file))!);
            // Private from its creation: the key is never readable by others, not even briefly.
            await using var stream = new FileStream(file, PrivateFiles.NewFile());
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(secret + "\n"), cancellationToken);
        }
        // Once, so a newcomer can copy it; later starts find the key in the store and stay silent.
        FirstKeyCreated(logger, DefaultOrganization, Path.GetFullPath(file));
        if (!Console.IsOutputRedirected)
            Console.WriteLine($"API key: {secret}");
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Created the first API key, for organization {OrganizationId}; it is in {KeyFile} (readable by this service's user only)")]
    private static partial void FirstKeyCreated(ILogger logger, string organizationId, string keyFile);
}

using System.Net.Http.Headers;
using System.Text;

namespace Retab.Runs.Testing;

/// <summary>A broker's AMQP root URI and its management API, reached with the same credentials.</summary>
public sealed class BrokerManagement(Uri amqpRoot, Uri managementUri, string user, string password)
{
    public Uri AmqpRoot { get; } = amqpRoot;
    public Uri ManagementUri { get; } = managementUri;
    public string User { get; } = user;

    public HttpClient CreateClient()
    {
        var http = new HttpClient { BaseAddress = ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}")));
        return http;
    }

    /// <summary>A private virtual host named <c>&lt;prefix&gt;-&lt;purpose&gt;-&lt;guid&gt;</c>; deleted with everything in it on dispose.</summary>
    /// <param name="warn">Told when the virtual host could not be deleted (it then has to be deleted by hand).</param>
    public Task<IsolatedVirtualHost> CreateVirtualHostAsync(string prefix, string purpose, Action<string>? warn = null) =>
        IsolatedVirtualHost.CreateAsync(this, $"{prefix}-{purpose}-{Guid.NewGuid():n}", warn);
}

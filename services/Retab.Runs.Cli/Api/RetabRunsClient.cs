using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Configuration;

namespace Retab.Runs.Cli.Api;

/// <summary>
/// The service's HTTP API as the CLI uses it: JSON in, <see cref="JsonNode"/> out. An error answer throws
/// <see cref="ApiException"/>; a service that cannot be reached throws <see cref="CliException"/> (both exit 3).
/// </summary>
public sealed class RetabRunsClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;

    public RetabRunsClient(ConnectionSettings settings, HttpMessageHandler? handler)
    {
        Settings = settings;
        // The stream stays open for as long as the run goes, so the client has no overall timeout; plain requests get one each.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: handler is null)
        {
            BaseAddress = settings.BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Add("Api-Key", settings.ApiKey);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("retab-runs-cli", typeof(RetabRunsClient).Assembly.GetName().Version?.ToString(3)));
    }

    public ConnectionSettings Settings { get; }

    public Task<JsonNode> GetAsync(string path, CancellationToken cancel) => SendAsync(HttpMethod.Get, path, null, cancel);

    public Task<JsonNode> PostAsync(string path, JsonNode? body, CancellationToken cancel) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancel);

    public Task<JsonNode> PostAsync(string path, HttpContent content, CancellationToken cancel) => SendAsync(HttpMethod.Post, path, content, cancel);

    public Task<JsonNode> DeleteAsync(string path, CancellationToken cancel) => SendAsync(HttpMethod.Delete, path, null, cancel);

    /// <summary>Every item of a list route, following <c>list_metadata.after</c> page by page.</summary>
    public async Task<List<JsonObject>> ListAllAsync(string path, IDictionary<string, string?> query, int? limit, CancellationToken cancel)
    {
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            var page = new Dictionary<string, string?>(query) { ["limit"] = "100", ["after"] = after };
            var answer = await GetAsync(WithQuery(path, page), cancel);
            items.AddRange((answer["data"] as JsonArray ?? []).OfType<JsonObject>());
            after = answer.Str("list_metadata", "after");
        }
        while (after is not null && (limit is null || items.Count < limit));
        return limit is { } max && items.Count > max ? items[..max] : items;
    }

    /// <summary>Opens a response to read as it arrives (the event stream); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return await Reach(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel));
    }

    public static string WithQuery(string path, IDictionary<string, string?> query)
    {
        var pairs = query.Where(pair => pair.Value is not null)
            .Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value!)}").ToList();
        return pairs.Count == 0 ? path : $"{path}?{string.Join('&', pairs)}";
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Reach(() => _http.SendAsync(request, timeout.Token));
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        if (!response.IsSuccessStatusCode)
            throw ApiException.From(response.StatusCode, text);
        if (response.StatusCode == HttpStatusCode.NoContent || text.Length == 0)
            return new JsonObject();
        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            throw new CliException($"{Settings.BaseUrl} answered {path} with something that is not JSON; is it a Retab Runs service?");
        }
    }

    private async Task<HttpResponseMessage> Reach(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException error)
        {
            throw new ServiceUnreachableException($"Cannot reach Retab Runs at {Settings.BaseUrl} (base URL from {Settings.BaseUrlSource}): {error.InnerException?.Message ?? error.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}

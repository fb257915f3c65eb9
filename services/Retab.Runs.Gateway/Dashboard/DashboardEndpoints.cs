using Microsoft.Extensions.Options;

namespace Retab.Runs.Gateway.Dashboard;

/// <summary>
/// The browser dashboard: the page at <c>/</c> and its files at <c>/dashboard/{file}</c>. Exactly these two routes, so
/// <c>/v1</c>, health, the OpenAPI document and every unknown path keep their own answers. The pages are public; the
/// data they show comes from <c>/v1</c> with the API key the user types in.
/// </summary>
public static class DashboardEndpoints
{
    public const string AssetsPath = "/dashboard";

    /// <summary>
    /// Scripts and styles only from this host (no inline script, no inline style markup), data only from this host's API,
    /// no framing: user JSON shown on the pages can never become code.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled)
            return app;
        var assets = DashboardAssets.Load();
        app.MapGet("/", (HttpContext http) => Serve(http, assets.Find("index.html")))
            .ExcludeFromDescription();
        app.MapGet(AssetsPath + "/{file}", (HttpContext http, string file) =>
                file == "index.html" ? Results.NotFound() : Serve(http, assets.Find(file)))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, DashboardAsset? asset)
    {
        // A bare 404: the status code pages write the JSON body every unknown path gets.
        if (asset is null)
            return Results.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // File names carry no version, so a browser revalidates every time and gets a 304 while nothing changed.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (Matches(http.Request.Headers.IfNoneMatch, asset.ETag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        ifNoneMatch.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            .Any(tag => tag == etag || tag == "W/" + etag || tag == "*");
}

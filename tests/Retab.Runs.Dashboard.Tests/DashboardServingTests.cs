using System.Net;
using System.Text.RegularExpressions;

using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>How the host serves the dashboard: headers, caching, and that every other route keeps its answer.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardServingTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_page_carries_a_content_security_policy_and_no_inline_script_or_style()
    {
        using var http = fixture.Host.RealClient(key: null);
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(ModuleScript(), html);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Theory]
    [InlineData("/dashboard/app.js", "text/javascript")]
    [InlineData("/dashboard/sse.js", "text/javascript")]
    [InlineData("/dashboard/app.css", "text/css")]
    [InlineData("/dashboard/favicon.svg", "image/svg+xml")]
    public async Task Dashboard_files_have_their_media_type_and_are_revalidated_by_etag(string path, string mediaType)
    {
        using var http = fixture.Host.RealClient(key: null);
        using var first = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/dashboard/missing.js")]
    [InlineData("/dashboard/index.html")]
    [InlineData("/dashboard")]
    public async Task Unknown_paths_still_get_the_json_404(string path)
    {
        using var http = fixture.Host.RealClient(key: null);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("not_found", body["detail"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_health_and_openapi_routes_keep_their_answers()
    {
        using var anonymous = fixture.Host.RealClient(key: null);
        using var unauthorized = await anonymous.GetAsync("/v1/workflows");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("application/json", unauthorized.Content.Headers.ContentType?.MediaType);
        using var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var document = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        // The dashboard's routes are not API operations.
        Assert.DoesNotContain("\"/dashboard", await document.Content.ReadAsStringAsync());
        using var reference = await anonymous.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);

        using var signedIn = fixture.Host.RealClient();
        using var workflows = await signedIn.GetAsync("/v1/workflows");
        Assert.Equal(HttpStatusCode.OK, workflows.StatusCode);
    }

    [Fact]
    public async Task Turned_off_the_root_answers_the_json_404()
    {
        await using var host = new StandaloneHost(settings: new Dictionary<string, string?> { ["Dashboard:Enabled"] = "false" });
        using var http = host.CreateClient();
        using var root = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal("not_found", JsonNode.Parse(await root.Content.ReadAsStringAsync())!["detail"]!["code"]!.GetValue<string>());
        using var script = await http.GetAsync("/dashboard/app.js");
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
    }

    [GeneratedRegex("<script type=\"module\" src=\"/dashboard/app\\.js\"></script>")]
    private static partial Regex ModuleScript();

    /// <summary>A script element without a src: inline code.</summary>
    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();
}

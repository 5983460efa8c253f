using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Guidepost.Testing;

namespace Guidepost.Server.Tests.Agent;

/// <summary>Guidepost's agent as an application's pages load it: <c>/agent/static/{apiKey}/pendo.js</c>, with the
/// application's settings baked in, and the install snippet the application settings show.</summary>
public sealed class AgentScriptTests : IAsyncLifetime
{
    private const int BudgetGzippedBytes = 25 * 1024;

    private TestInstallation _gp = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync();
        _browser = _gp.App.CreateClient();
    }

    private string ApplicationPath => $"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}";

    private async Task<string> ScriptAsync(string? apiKey = null)
    {
        var response = await _browser.GetAsync($"/agent/static/{apiKey ?? _gp.Target.ApiKey}/pendo.js");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_agent_carries_the_applications_settings_and_follows_their_changes()
    {
        var key = _gp.Target.ApiKey;
        var script = await ScriptAsync();
        // The settings as one JavaScript string literal in place of the placeholder, written out by hand.
        script.ShouldContain($$"""
            "{\"apiKey\":\"{{key}}\",\"excludeAllText\":true,\"htmlAttributes\":[],\"dropAnonymous\":false}"
            """);
        script.ShouldNotContain("__GUIDEPOST_SETTINGS__");

        await (await _gp.Admin.PatchJsonAsync(ApplicationPath, new
        {
            agent = new { captureText = true, htmlAttributes = new[] { "data-testid", "Aria-Label" } },
            ingestion = new { collectAnonymousVisitors = false },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        (await ScriptAsync()).ShouldContain($$"""
            "{\"apiKey\":\"{{key}}\",\"excludeAllText\":false,\"htmlAttributes\":[\"data-testid\",\"aria-label\"],\"dropAnonymous\":true}"
            """);
    }

    [Fact]
    public async Task The_agent_is_at_most_25_KB_gzipped_and_cached_by_its_entity_tag()
    {
        var plain = Encoding.UTF8.GetBytes(await ScriptAsync());
        var request = new HttpRequestMessage(HttpMethod.Get, $"/agent/static/{_gp.Target.ApiKey}/pendo.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var response = await _browser.SendAsync(request);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        gzipped.Length.ShouldBeLessThanOrEqualTo(BudgetGzippedBytes, $"the agent is {gzipped.Length} bytes gzipped");
        using (var unzipped = new MemoryStream())
        {
            await new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress).CopyToAsync(unzipped);
            unzipped.ToArray().ShouldBe(plain);
        }
        response.Headers.CacheControl!.ToString().ShouldBe("public, max-age=300");

        var again = new HttpRequestMessage(HttpMethod.Get, $"/agent/static/{_gp.Target.ApiKey}/pendo.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        (await _browser.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);

        await (await _gp.Admin.PatchJsonAsync(ApplicationPath, new { agent = new { captureText = true } })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/agent/static/{_gp.Target.ApiKey}/pendo.js");
        changed.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        (await _browser.SendAsync(changed)).StatusCode.ShouldBe(HttpStatusCode.OK, "new settings, new file");
    }

    [Fact]
    public async Task The_file_is_the_same_whatever_host_a_request_names()
    {
        // A Host header is the client's to choose: were it baked in, anyone could make the server keep a file per
        // made-up host, or poison a shared cache with a file that sends data elsewhere.
        async Task<(string? ETag, string Body)> AsHostAsync(string host)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/agent/static/{_gp.Target.ApiKey}/pendo.js");
            request.Headers.Host = host;
            var response = await _browser.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return (response.Headers.ETag?.Tag, await response.Content.ReadAsStringAsync());
        }
        var (tag, body) = await AsHostAsync("guidepost.example");
        (await AsHostAsync("attacker.example")).ShouldBe((tag, body));
        body.ShouldNotContain("example");
    }

    [Fact]
    public async Task Unknown_and_disabled_applications_get_no_agent()
    {
        (await (await _browser.GetAsync("/agent/static/no-such-key/pendo.js")).ShouldBeJsonAsync(HttpStatusCode.NotFound))
            .GetProperty("detail").GetString()!.ShouldContain("no-such-key");
        await (await _gp.Admin.PatchJsonAsync(ApplicationPath, new { disabled = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await _browser.GetAsync($"/agent/static/{_gp.Target.ApiKey}/pendo.js")).ShouldBeJsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Agent_settings_are_checked()
    {
        var bad = await (await _gp.Admin.PatchJsonAsync(ApplicationPath, new { agent = new { htmlAttributes = new[] { "data-ok", "on click" } } }))
            .ShouldBeJsonAsync(HttpStatusCode.BadRequest);
        bad.GetRawText().ShouldContain("'on click' is not an HTML attribute name");
        await (await _gp.Admin.PatchJsonAsync(ApplicationPath, new { agent = new { captureTxt = true } })).ShouldBeJsonAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_application_settings_show_the_install_snippet()
    {
        var application = await (await _gp.Admin.GetAsync(ApplicationPath)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var snippet = application.GetProperty("installSnippet").GetString()!;
        snippet.ShouldStartWith("<script>");
        snippet.ShouldContain($"('{_gp.Target.ApiKey}', 'http://localhost')");
        snippet.ShouldContain("host + '/agent/static/' + apiKey + '/pendo.js'");
        snippet.ShouldEndWith("</script>");
        application.GetProperty("agent").GetProperty("captureText").GetBoolean().ShouldBeFalse();
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();
}

using System.Net;
using System.Text;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Guidepost.Testing.AgentPayloads;

namespace Guidepost.Server.Tests.Ingestion;

/// <summary>The agent's beacons over HTTP, checked against what the store then holds.</summary>
public sealed class BeaconTests : IAsyncLifetime
{
    private const string Origin = "https://customer-app.example";
    private TestInstallation _gp = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync();
        _client = _gp.App.CreateClient();
        _client.DefaultRequestHeaders.Add("Origin", Origin);
        _client.DefaultRequestHeaders.Add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
        _client.DefaultRequestHeaders.Add("Accept-Language", "de-CH,de;q=0.9");
    }

    private async Task<List<StoredEvent>> StoredAsync() =>
        await _gp.App.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(_gp.Target.SubscriptionId, _gp.Target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync();

    private static void ShouldBePixel(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/gif");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    [Fact]
    public async Task A_pixel_get_stores_its_events_normalised()
    {
        var jzb = Jzb(Load("visitor-1", "https://app.example/home", T0, 0), Click("visitor-1", "https://app.example/home", T0 + 500, 1));
        ShouldBePixel(await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&ct={T0 + 600}&jzb={jzb}"));

        var stored = await StoredAsync();
        stored.Select(e => (e.Type, e.BrowserTime, e.Sequence)).ShouldBe([("load", T0, (long?)0), ("click", T0 + 500, (long?)1)]);
        var click = stored[1];
        click.ElementPath.ShouldBe("""[{"tag":"BUTTON","id":"buy","cls":"btn primary","attrs":{"name":"buy"},"childIndex":1,"myIndex":3},{"tag":"BODY","childIndex":1,"myIndex":2}]""");
        click.Properties.ShouldBe("""{"flags":["left"]}""");
        (click.VisitorId, click.AccountId, click.TabId, click.SessionId).ShouldBe(("visitor-1", "account-1", "TabTabTabTabTab1", "SessionSession01"));
        (click.Browser, click.BrowserVersion, click.Os, click.Device).ShouldBe(("Chrome", "120", "Linux", "desktop"));
        click.Language.ShouldBe("de_CH");
        click.ServerTime.ShouldBeGreaterThan(T0);
    }

    [Theory]
    [InlineData("text/plain;charset=UTF-8")] // navigator.sendBeacon
    [InlineData("application/json")]           // fetch with keepalive
    [InlineData(null)]
    public async Task A_post_body_carries_jzb_whatever_its_content_type(string? contentType)
    {
        var jzb = Jzb(Load("visitor-2", "https://app.example/a", T0, 0));
        var body = new StringContent($$"""{"events":"{{jzb}}"}""", Encoding.UTF8);
        body.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        ShouldBePixel(await _client.PostAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&ct={T0}&s={jzb.Length}", body));
        (await StoredAsync()).Single().Url.ShouldBe("https://app.example/a");
    }

    [Fact]
    public async Task A_cross_origin_preflight_is_allowed()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/data/ptm.gif/{_gp.Target.ApiKey}");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await _client.SendAsync(preflight);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("content-type", Case.Insensitive);
    }

    [Fact]
    public async Task The_empty_probe_answers_and_stores_nothing()
    {
        ShouldBePixel(await _client.GetAsync($"/data/guide.gif/{_gp.Target.ApiKey}?jzb=eJwFwIEIAAAAwDDQd3-N1QABFQC5&ct={T0}&v=2.291.4_prod"));
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Re_sent_payloads_count_once()
    {
        var jzb = Jzb(Load("visitor-3", "https://app.example/", T0, 0), Click("visitor-3", "https://app.example/", T0 + 1, 1));
        ShouldBePixel(await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={jzb}"));
        ShouldBePixel(await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={jzb}&rt=1"));
        ShouldBePixel(await _client.PostAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?rt=2", new StringContent($$"""{"events":"{{jzb}}"}""")));

        (await StoredAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Every_beacon_kind_is_accepted()
    {
        var sequence = 0;
        foreach (var beacon in new[] { "ptm", "guide", "poll", "agentic" })
            ShouldBePixel(await _client.GetAsync($"/data/{beacon}.gif/{_gp.Target.ApiKey}?jzb={Jzb(Load("v", "https://a/" + beacon, T0, sequence++))}"));
        (await StoredAsync()).Count.ShouldBe(4);
        await (await _client.GetAsync($"/data/rec.gif/{_gp.Target.ApiKey}?jzb={Jzb(Load("v", "https://a/", T0, 9))}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_or_disabled_key_is_refused_with_cors_and_nothing_is_stored()
    {
        var jzb = Jzb(Load("visitor-4", "https://app.example/", T0, 0));
        var unknown = await _client.GetAsync($"/data/ptm.gif/00000000-0000-4000-8000-000000000000?jzb={jzb}");
        (await unknown.ShouldBeErrorAsync(HttpStatusCode.NotFound)).ShouldContain("API key");
        unknown.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);

        await (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}", new { disabled = true }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var disabled = await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={jzb}");
        (await disabled.ShouldBeErrorAsync(HttpStatusCode.Forbidden)).ShouldContain("disabled");
        disabled.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);

        (await StoredAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("jzb=", "No events")]
    [InlineData("jzb=%21%21%21", "base64url")]
    [InlineData("jzb=AAAAAAAAAAAA", "zlib")]
    [InlineData("jzb=eJyrrgUAAXUA-Q", "JSON array")] // {}
    public async Task A_malformed_payload_is_a_400_that_names_the_problem(string query, string mentions)
    {
        var response = await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?{query}");
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(mentions);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    [Fact]
    public async Task One_bad_event_rejects_the_whole_batch()
    {
        var good = Load("visitor-5", "https://app.example/", T0, 0);
        var bad = new Dictionary<string, object?> { ["type"] = "click", ["browser_time"] = "yesterday", ["visitor_id"] = "visitor-5" };
        var response = await _client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={Jzb(good, bad)}");

        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("Event 1: browser_time");
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"events": 5}""", "jzb string")]
    [InlineData("""{"jwt": "x"}""", "no \"events\"")]
    [InlineData("""[1]""", "JSON object")]
    [InlineData("""{"events": """, "not valid JSON")]
    public async Task A_malformed_post_body_is_a_400(string body, string mentions) =>
        (await (await _client.PostAsync($"/data/ptm.gif/{_gp.Target.ApiKey}", new StringContent(body))).ShouldBeErrorAsync(HttpStatusCode.BadRequest))
            .ShouldContain(mentions);

    [Fact]
    public async Task Agent_error_reports_are_recorded()
    {
        (await _client.PostAsync($"/data/errorlog?apiKey={_gp.Target.ApiKey}",
            new StringContent("""{"error":"TypeError: x is undefined","version":"v2.291.4_prod","visitorId":"visitor-6"}""", Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBePixel(await _client.GetAsync($"/data/log.gif/{_gp.Target.ApiKey}?msg=Single item is: 70000. Dropping.v2.291.4_prod&version=2.291.4_prod"));
        await (await _client.PostAsync("/data/errorlog?apiKey=nope", new StringContent("{}"))).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await _client.PostAsync($"/data/errorlog?apiKey={_gp.Target.ApiKey}", new StringContent("{oops"))).ShouldBeErrorAsync(HttpStatusCode.BadRequest);

        await using var connection = new SqliteConnection($"Data Source={_gp.Data.File("events.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT kind, message, visitor_id, version FROM agent_diagnostics ORDER BY id";
        await using var rows = await read.ExecuteReaderAsync();
        var diagnostics = new List<(string, string, string?, string?)>();
        while (await rows.ReadAsync())
            diagnostics.Add((rows.GetString(0), rows.GetString(1), rows.IsDBNull(2) ? null : rows.GetString(2), rows.IsDBNull(3) ? null : rows.GetString(3)));
        diagnostics.ShouldBe([
            ("errorlog", "TypeError: x is undefined", "visitor-6", "v2.291.4_prod"),
            ("log", "Single item is: 70000. Dropping.v2.291.4_prod", null, "2.291.4_prod"),
        ]);
    }

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();
}

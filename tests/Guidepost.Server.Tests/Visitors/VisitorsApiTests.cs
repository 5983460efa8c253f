using System.Net;
using System.Text;
using System.Text.Json;
using Guidepost.Testing;
using static Guidepost.Testing.AgentPayloads;

namespace Guidepost.Server.Tests.Visitors;

/// <summary>Visitor and account details, visitor history and metadata on Pendo's paths.</summary>
public sealed class VisitorsApiTests : IAsyncLifetime
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    [Fact]
    public async Task A_visitor_shows_its_visits_accounts_last_browser_and_metadata()
    {
        await SendAsync(Chrome,
            Load("_PENDO_T_anon1", "https://app.example/home", T0, 0, account: null),
            Identify("ada", "_PENDO_T_anon1", T0 + 1_000, 1),
            Meta("ada", T0 + 2_000, 2, new { email = "ada@example.com", plan = "pro" }, new { tier = "gold" }),
            Load("ada", "https://app.example/reports/1", T0 + 60_000, 3, account: "acme"),
            Load("ada", "https://app.example/billing", T0 + 120_000, 4, account: "globex"));

        var visitor = await (await _gp.Admin.GetAsync("/api/v1/visitor/ada")).ShouldBeJsonAsync(HttpStatusCode.OK);
        visitor.GetProperty("id").GetString().ShouldBe("ada");
        visitor.GetProperty("accountIds").EnumerateArray().Select(a => a.GetString()).Order().ShouldBe(["account-1", "acme", "globex"]);
        var auto = visitor.GetProperty("metadata").GetProperty("auto");
        auto.GetProperty("firstvisit").GetInt64().ShouldBe(T0 + 1_000);
        auto.GetProperty("lastvisit").GetInt64().ShouldBe(T0 + 120_000);
        auto.GetProperty("lastbrowsername").GetString().ShouldBe("Chrome");
        auto.GetProperty("lastoperatingsystem").GetString().ShouldBe("Linux");
        auto.GetProperty("lastservername").GetString().ShouldBe("app.example");
        auto.GetProperty("lastuseragent").GetString().ShouldBe(Chrome);
        visitor.GetProperty("metadata").GetProperty("agent").GetProperty("email").GetString().ShouldBe("ada@example.com");

        var account = await (await _gp.Admin.GetAsync("/api/v1/account/account-1")).ShouldBeJsonAsync(HttpStatusCode.OK);
        account.GetProperty("metadata").GetProperty("agent").GetProperty("tier").GetString().ShouldBe("gold");
        account.GetProperty("metadata").GetProperty("auto").GetProperty("firstvisit").GetInt64().ShouldBe(T0 + 1_000);

        await (await _gp.Admin.GetAsync("/api/v1/visitor/nobody")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await _gp.Admin.GetAsync("/api/v1/account/nobody")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ids_with_slashes_are_read_base64_encoded()
    {
        await SendAsync(Chrome, Load("team/ada", "https://app.example/home", T0, 0));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/visitor/b64_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("team/ada")).TrimEnd('=').Replace('/', '_').Replace('+', '-'));
        request.Headers.Add("x-pendo-base64-encoded-params", "true");
        (await (await _gp.Admin.SendAsync(request)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString().ShouldBe("team/ada");

        var bad = new HttpRequestMessage(HttpMethod.Get, "/api/v1/visitor/b64_!!!");
        bad.Headers.Add("x-pendo-base64-encoded-params", "true");
        await (await _gp.Admin.SendAsync(bad)).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task History_lists_a_days_events_with_the_pages_and_features_they_count_for()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        await SendAsync(Chrome,
            Load("_PENDO_T_h1", "https://app.example/welcome", now - 600, 0, account: null),
            Identify("ada", "_PENDO_T_h1", now - 300, 1),
            Load("ada", "https://app.example/reports/1", now, 0),
            Click("ada", "https://app.example/reports/1", now + 5_000, 1),
            Load("ada", "https://app.example/other", now + 10_000, 2),
            Load("bob", "https://app.example/reports/2", now + 11_000, 0));
        var page = (await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var feature = (await (await _gp.Admin.PostJsonAsync("/api/v1/feature", new { name = "Buy", elementPathRules = new[] { "#buy" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var history = await (await _gp.Admin.GetAsync($"/api/v1/visitor/ada/history?starttime={now - 1_000}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // The anonymous visit before the identify event is the same person's.
        history.EnumerateArray().Select(h => h.GetProperty("type").GetString()).ShouldBe(["load", "identify", "load", "click", "load"]);
        history[0].GetProperty("uri").GetString().ShouldBe("https://app.example/welcome");
        history[2].GetProperty("pageId").GetString().ShouldBe(page);
        history[3].GetProperty("featureId").GetString().ShouldBe(feature);
        history[4].TryGetProperty("pageId", out _).ShouldBeFalse();
        history[2].GetProperty("ts").GetInt64().ShouldBe(now);

        var later = await (await _gp.Admin.GetAsync($"/api/v1/visitor/ada/history?starttime={now + 86_400_000}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        later.GetArrayLength().ShouldBe(0);
        await (await _gp.Admin.GetAsync("/api/v1/visitor/ada/history")).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        await (await _gp.Admin.GetAsync($"/api/v1/visitor/ada/history?starttime={now - 200L * 86_400_000}")).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        await (await _gp.Admin.GetAsync($"/api/v1/visitor/nobody/history?starttime={now}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Custom_fields_are_created_typed_and_written_one_at_a_time_or_in_bulk()
    {
        await SendAsync(Chrome, Load("ada", "https://app.example/", T0, 0), Load("bob", "https://app.example/", T0, 0));

        var created = await (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/visitor/custom", new object[]
        {
            new { name = "seats", displayname = "Seats", type = "number" },
            new { name = "renewal", displayname = "Renewal", type = "time" },
            new { name = "vip", displayname = "VIP", type = "boolean" },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        created.GetProperty("summary").GetProperty("created").GetInt32().ShouldBe(3);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/visitor/custom", new object[] { new { name = "vip", type = "boolean" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/visitor/custom", new object[] { new { name = "x", type = "colour" }, new { name = "y", type = "string" } }))
            .StatusCode.ShouldBe((HttpStatusCode)207);

        var schema = await (await _gp.Admin.GetAsync("/api/v1/metadata/schema/visitor")).ShouldBeJsonAsync(HttpStatusCode.OK);
        schema.GetProperty("custom").GetProperty("seats").GetProperty("Type").GetString().ShouldBe("float");
        schema.GetProperty("custom").GetProperty("renewal").GetProperty("DisplayName").GetString().ShouldBe("Renewal");
        schema.GetProperty("auto").GetProperty("lastvisit").GetProperty("isCalculated").GetBoolean().ShouldBeTrue();

        var bulk = await (await _gp.Admin.PostAsync("/api/v1/metadata/visitor/custom/value", Json("""
            [{"visitorId":"ada","values":{"seats":12,"renewal":"2026-01-02T15:04:05-0700","vip":true}},
             {"visitorId":"bob","values":{"seats":"many"}},
             {"visitorId":"carol","values":{"seats":3}}]
            """))).ShouldBeJsonAsync(HttpStatusCode.OK);
        bulk.GetProperty("total").GetInt32().ShouldBe(3);
        bulk.GetProperty("updated").GetInt32().ShouldBe(1);
        bulk.GetProperty("failed").GetInt32().ShouldBe(2);
        bulk.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ShouldBe(["carol"]);
        bulk.GetProperty("errors")[0].GetString()!.ShouldContain("bob: seats");

        var renewal = await (await _gp.Admin.GetAsync("/api/v1/metadata/visitor/custom/value/ada/renewal")).ShouldBeJsonAsync(HttpStatusCode.OK);
        renewal.GetInt64().ShouldBe(DateTimeOffset.Parse("2026-01-02T15:04:05-07:00").ToUnixTimeMilliseconds());

        (await (await _gp.Admin.PostAsync("/api/v1/metadata/visitor/custom/value?create=true", Json("""[{"visitorId":"carol","values":{"seats":3}}]""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("updated").GetInt32().ShouldBe(1);
        (await (await _gp.Admin.GetAsync("/api/v1/visitor/carol")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("metadata").GetProperty("custom").GetProperty("seats").GetDouble().ShouldBe(3);

        (await _gp.Admin.PutAsync("/api/v1/metadata/visitor/custom/value/ada/nickname", Json("\"Countess\""))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _gp.Admin.GetAsync("/api/v1/metadata/visitor/custom/value/ada/nickname")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetString().ShouldBe("Countess");
        (await (await _gp.Admin.GetAsync("/api/v1/metadata/schema/visitor")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("custom").GetProperty("nickname").GetProperty("Type").GetString().ShouldBe("string");
        (await _gp.Admin.PutAsync("/api/v1/metadata/visitor/custom/value/ada/vip", Json("\"perhaps\""))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/metadata/visitor/auto/value/ada/lastvisit", "1", "cannot be written")]
    [InlineData("PUT", "/api/v1/metadata/visitor/custom/value/ada/9lives", "1", "not a field name")]
    [InlineData("PUT", "/api/v1/metadata/visitor/custom/value/ada/x", "{not json", "JSON value")]
    [InlineData("POST", "/api/v1/metadata/visitor/custom/value", "{\"visitorId\":\"ada\"}", "JSON array")]
    [InlineData("POST", "/api/v1/metadata/visitor/custom/value", "[{\"id\":\"ada\",\"values\":{}}]", "[0] must be an object with a string visitorId")]
    [InlineData("POST", "/api/v1/metadata/visitor/custom/value", "[{\"visitorId\":\"ada\",\"values\":{\"unknown\":1}}]", "not in the visitor custom schema")]
    [InlineData("POST", "/api/v1/metadata/schema/visitor/salesforce", "[{\"name\":\"a\",\"type\":\"string\"}]", "agent and custom")]
    [InlineData("POST", "/api/v1/metadata/schema/visitor/custom", "[]", "1 to 24 fields")]
    public async Task Bad_metadata_writes_are_explained(string method, string path, string body, string expected)
    {
        await SendAsync(Chrome, Load("ada", "https://app.example/", T0, 0));
        var response = await _gp.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) });
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(expected);
    }

    [Fact]
    public async Task Unknown_kinds_and_fields_are_not_found()
    {
        await (await _gp.Admin.GetAsync("/api/v1/metadata/schema/robot")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await _gp.Admin.DeleteAsync("/api/v1/metadata/schema/visitor/custom/nothing")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/account/custom", new object[] { new { name = "arr", type = "number" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _gp.Admin.DeleteAsync("/api/v1/metadata/schema/account/custom/arr")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _gp.Admin.DeleteAsync("/api/v1/metadata/schema/account/custom/arr")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await (await _gp.Admin.GetAsync("/api/v1/metadata/schema/account")).ShouldBeJsonAsync(HttpStatusCode.OK)).TryGetProperty("custom", out _).ShouldBeFalse();

        // Writing to a deleted field brings it back, typed by the value.
        (await _gp.Admin.PutAsync("/api/v1/metadata/account/custom/value/acme/arr", Json("\"high\""))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _gp.Admin.GetAsync("/api/v1/metadata/schema/account")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("custom").GetProperty("arr").GetProperty("Type").GetString().ShouldBe("string");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task SendAsync(string userAgent, params object[] events)
    {
        var client = _gp.App.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        (await client.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&jzb={Jzb(events)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

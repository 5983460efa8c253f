using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>Bad requests get a 4xx naming the stage and what was expected; limits answer 422; keys see only
/// their subscription; and a tap-pendo style client pages through visitors.</summary>
[Collection(AggregationCollection.Name)]
public sealed class ErrorsAndSessionsTests(AggregationFixture fx)
{
    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"response":{"mimeType":"text/xml"},"request":{"pipeline":[{"source":{"visitors":null}}]}}""", "mimeType")]
    [InlineData("""{"request":{}}""", "needs \"pipeline\"")]
    [InlineData("""{"request":{"pipeline":[]}}""", "is empty")]
    [InlineData("""{"request":{"pipeline":[{"limit":3}]}}""", "stage 0: a pipeline starts with a source")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"grup":{}}]}}""", "stage 1: unknown operator 'grup'")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"filter":"visitorId =="}]}}""", "stage 1: filter")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"filter":"visitorId in [\"a\"]"}]}}""", "||")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"limit":-1}]}}""", "stage 1: limit must be a whole number")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"eval":{"day":"1"}}]}}""", "read-only field 'day'")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"group":{"group":["visitorId"],"fields":{"n":{"total":"x"}}}}]}}""", "unknown aggregator 'total'")]
    [InlineData("""{"request":{"pipeline":[{"source":{"pageEvents":null}}]}}""", "needs a timeSeries")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"yearRange","first":"now()","count":1}}}]}}""", "timeSeries.period must be one of")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"dayRange","first":"now(","count":1}}}]}}""", "timeSeries.first")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":{"pageId":"x"},"timeSeries":{"period":"dayRange","first":"now()","count":1}}}]}}""", "has no parameter 'pageId'")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null,"accounts":null}}]}}""", "exactly one source")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":{"types":["focus"]},"timeSeries":{"period":"dayRange","first":"now()","count":1}}}]}}""", "events.types takes")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"source":{"accounts":null}}]}}""", "stage 1")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":null}},{"fork":[[{"grup":1}]]}]}}""", "fork[0]")]
    [InlineData("""{"request":{"pipeline":[{"source":{"const":[{"a":"x"}]}},{"eval":{"b":"a * 2"}}]}}""", "stage 1")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"dayRange","first":"99999999999999999999999","count":1}}}]}}""", "outside the years 1 to 9999")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"dayRange","first":-1e300,"count":1}}}]}}""", "outside the years 1 to 9999")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"hourRange","first":"now()","count":2000000000}}}]}}""", "at most 100,000 periods")]
    [InlineData("""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"monthRange","first":253402300799999,"count":1}}}]}}""", "reaches past the years 1 to 9999")]
    [InlineData("""{"request":{"pipeline":[{"source":{"visitors":{"since":"1e300"}}}]}}""", "outside the years 1 to 9999")]
    [InlineData("""{"request":{"pipeline":[{"sessionReplays":{"appId":-323232}}]}}""", "not supported")]
    [InlineData("""{"request":{"pipeline":[{"source":{"emailEvents":null,"timeSeries":{"period":"dayRange","first":"now()","count":1}}}]}}""", "'emailEvents' is not supported")]
    [InlineData("""{"request":{"pipeline":[{"source":{"vocItems":{"type":"feedback"}}}]}}""", "'vocItems' is not supported")]
    [InlineData("""{"request":{"pipeline":[{"pes":{"appId":-323232}}]}}""", "needs firstDay and dayCount")]
    public async Task Invalid_requests_are_explained(string body, string expected)
    {
        var response = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(expected);
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_no_key_is_401()
    {
        var response = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(
            """{"request":{"pipeline":[{"source":{"pageEvents":{"pageId":"nope"},"timeSeries":{"period":"dayRange","first":"now()","count":-1}}}]}}""",
            System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.NotFound)).ShouldContain("no page 'nope'");
        var segment = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(
            """{"request":{"pipeline":[{"source":{"visitors":null}},{"segment":{"id":"missing"}}]}}""", System.Text.Encoding.UTF8, "application/json"));
        (await segment.ShouldBeErrorAsync(HttpStatusCode.NotFound)).ShouldContain("missing");
        (await fx.Gp.App.CreateClient().PostAsync("/api/v1/aggregation", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_verify_answers_200_for_a_key_and_403_otherwise()
    {
        var ok = await (await fx.Gp.Admin.GetAsync("/api/v1/token/verify")).ShouldBeJsonAsync(HttpStatusCode.OK);
        ok.GetProperty("writeAccess").GetBoolean().ShouldBeTrue();
        var wrong = fx.Gp.App.KeyClient("not-a-key");
        await (await wrong.GetAsync("/api/v1/token/verify")).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_subscription_sees_none_of_these_events_or_visitors()
    {
        var other = await Tenants.CreateAsync(await fx.Gp.App.LoggedInClientAsync(Bootstrap.AdminUsername, fx.Gp.Bootstrap.AdminPassword), "Other");
        var client = fx.Gp.App.KeyClient(other.ReadOnlyKey);
        (await fx.Gp.App.KeyClient(other.ReadWriteKey).PostJsonAsync($"/api/admin/subscriptions/{other.Id}/applications", new { name = "Web" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var visitors = await fx.AggregateAsync("""{"request":{"pipeline":[{"source":{"visitors":null}},{"count":null}]}}""", client: client);
        visitors.GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(0);
        var events = await fx.AggregateAsync("""{"request":{"pipeline":[{"source":{"events":{"appId":"expandAppIds(\"*\")"},"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":10}}},{"count":null}]}}""", client: client);
        events.GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(0);
        var page = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(
            """{"request":{"pipeline":[{"source":{"pageEvents":{"appId":APP},"timeSeries":{"period":"dayRange","first":"now()","count":-1}}}]}}""".Replace("APP", fx.Gp.Target.ApplicationId.ToString()),
            System.Text.Encoding.UTF8, "application/json"));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var foreignApp = await client.PostAsync("/api/v1/aggregation", new StringContent(
            """{"request":{"pipeline":[{"source":{"events":{"appId":APP},"timeSeries":{"period":"dayRange","first":"now()","count":-1}}}]}}""".Replace("APP", fx.Gp.Target.ApplicationId.ToString()),
            System.Text.Encoding.UTF8, "application/json"));
        (await foreignApp.ShouldBeErrorAsync(HttpStatusCode.NotFound)).ShouldContain("no application");
    }

    [Fact]
    public async Task A_tap_pendo_session_pages_visitors_by_sort_filter_and_limit_and_counts_them()
    {
        var all = Scenario.Events.Select(e => e.VisitorId).Distinct().Order(StringComparer.Ordinal).ToList();
        var count = await fx.AggregateAsync("""{"response":{"mimeType":"application/json"},"request":{"pipeline":[{"source":{"visitors":{"identified":true}}},{"count":null}]}}""");
        count.GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(all.Count(v => !v.StartsWith("_PENDO_T_", StringComparison.Ordinal)));

        var seen = new List<string>();
        var last = "";
        while (true)
        {
            var body = new
            {
                response = new { mimeType = "application/json" },
                request = new
                {
                    name = "all-visitors", requestId = "all-visitors",
                    pipeline = new object[] { new { source = new { visitors = (object?)null } }, new { sort = new[] { "visitorId" } }, new { filter = $"visitorId>\"{last}\"" }, new { limit = 7 } },
                },
            };
            var page = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("visitorId").GetString()!).ToList();
            if (page.Count == 0) break;
            page.Count.ShouldBeLessThanOrEqualTo(7);
            seen.AddRange(page);
            last = page[^1];
        }
        seen.ShouldBe(all);
    }

    [Fact]
    public async Task A_stage_that_would_hold_too_many_rows_stops_with_a_422_naming_the_limit()
    {
        await using var small = await TestInstallation.StartAsync(new Dictionary<string, string?> { ["Guidepost:Aggregations:MaxRowsInMemory"] = "3" });
        var body = """{"request":{"pipeline":[{"source":{"const":[{"a":1},{"a":2},{"a":3},{"a":4}]}},{"sort":["-a"]}]}}""";
        var response = await small.Admin.PostAsync("/api/v1/aggregation", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.UnprocessableEntity)).ShouldContain("MaxRowsInMemory");
        var fits = """{"request":{"pipeline":[{"source":{"const":[{"a":1},{"a":2},{"a":3}]}},{"sort":["-a"]}]}}""";
        var rows = (await (await small.Admin.PostAsync("/api/v1/aggregation", new StringContent(fits, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("a").GetInt32());
        rows.ShouldBe([3, 2, 1]);

        // Reports run on the same engine and answer the same way.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = Enumerable.Range(0, 5).Select(i => AgentPayloads.Load($"visitor-{i}", "https://app.example/home", now - 60_000 + i, i)).ToArray();
        (await small.App.CreateClient().GetAsync($"/data/ptm.gif/{small.Target.ApiKey}?v=2.291.4_prod&ct={now}&jzb={AgentPayloads.Jzb(events)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (yesterday, today) = (DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"));
        var list = await small.Admin.PostJsonAsync("/api/analytics/lists", new { level = "visitor", from = yesterday, to = today, columns = new[] { "numEvents" } });
        (await list.ShouldBeErrorAsync(HttpStatusCode.UnprocessableEntity)).ShouldContain("MaxRowsInMemory");
    }

    [Fact]
    public async Task A_new_application_or_time_zone_applies_to_the_very_next_query()
    {
        await using var gp = await TestInstallation.StartAsync();
        async Task<HttpResponseMessage> AskAsync(string pipeline) =>
            await gp.Admin.PostAsync("/api/v1/aggregation", new StringContent("""{"request":{"pipeline":""" + pipeline + "}}", System.Text.Encoding.UTF8, "application/json"));
        const string DayStart = """[{"source":{"const":[{}]}},{"eval":{"start":"startOfPeriod(\"dayRange\", 0)"}}]""";
        (await (await AskAsync(DayStart)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results")[0].GetProperty("start").GetInt64().ShouldBe(0);

        // Queries keep the subscription's zone and applications between requests; a change must not wait.
        (await gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{gp.Target.SubscriptionId}", new { timeZone = "Asia/Kolkata" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await AskAsync(DayStart)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results")[0].GetProperty("start").GetInt64().ShouldBe(-19_800_000);

        var events = """[{"source":{"events":{"appId":APP},"timeSeries":{"period":"dayRange","first":"now()","count":-1}}}]""";
        await (await AskAsync(events.Replace("APP", "123456789"))).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        var created = await (await gp.Admin.PostJsonAsync($"/api/admin/subscriptions/{gp.Target.SubscriptionId}/applications", new { name = "Backend" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var app = created.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await AskAsync(events.Replace("APP", app))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

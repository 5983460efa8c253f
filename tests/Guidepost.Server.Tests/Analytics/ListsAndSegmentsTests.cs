using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Guidepost.Server.Tests.Analytics;

/// <summary>Visitor and account lists, saved reports with CSV, and segments (bulk and per visitor), checked
/// against answers computed from the generated events and the metadata the test wrote.</summary>
public sealed class ListsAndSegmentsTests : IAsyncLifetime
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly ActivityScenario Scenario = ActivityScenario.Generate(seed: 11, Instant.FromUtc(2026, 10, 29, 0, 0).ToUnixTimeMilliseconds(), days: 6);
    private static readonly DateTimeOffset Now = new(2026, 11, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly LocalDate First = new(2026, 10, 30);
    private static readonly LocalDate Last = new(2026, 11, 2);

    private TestInstallation _gp = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FixedTime(Now))));
        (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}", new { timeZone = Zone.Id })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var beacon = _gp.App.CreateClient();
        foreach (var payload in Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries))
            (await beacon.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={AgentPayloads.Jzb(ActivityScenario.AgentEvents(payload))}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/visitor/custom", new object[] { new { name = "plan", type = "string" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/schema/account/custom", new object[] { new { name = "tier", type = "string" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/visitor/custom/value", Visitors.Select(v => new { visitorId = v, values = new { plan = Plan(v) } }).ToArray()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _gp.Admin.PostJsonAsync("/api/v1/metadata/account/custom/value", Accounts.Select(a => new { accountId = a, values = new { tier = Tier(a) } }).ToArray()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private static IEnumerable<string> Visitors => Scenario.Events.Select(e => Scenario.Identified(e.VisitorId)).Distinct();
    private static IEnumerable<string> Accounts => Scenario.Events.Select(e => e.AccountId).Distinct();
    private static string Plan(string visitor) => visitor[^1] % 2 == 0 ? "pro" : "free";
    private static string Tier(string account) => account is "account-0" or "account-3" ? "gold" : "silver";
    private static LocalDate Day(ScenarioEvent e) => Instant.FromUnixTimeMilliseconds(e.Time).InZone(Zone).Date;
    private static IEnumerable<ScenarioEvent> InRange => Scenario.Events.Where(e => Day(e) >= First && Day(e) <= Last);

    [Fact]
    public async Task A_visitor_list_has_each_active_visitors_metrics_and_metadata()
    {
        var export = await CreateAsync("/api/v1/feature", new { name = "Export", elementPathRules = new[] { "button#export" } });
        var list = await (await _gp.Admin.PostJsonAsync("/api/analytics/lists", new
        {
            level = "visitor", from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}",
            columns = new[] { "firstVisit", "lastVisit", "daysActive", "numMinutes", "numEvents", "pageViews", "clicks", "featureClicks", "trackEvents", "custom.plan" },
            sort = "-numEvents",
        })).ShouldBeJsonAsync(HttpStatusCode.OK);

        var expected = InRange.GroupBy(e => Scenario.Identified(e.VisitorId)).Select(g => new
        {
            id = g.Key,
            firstVisit = Scenario.Events.Where(e => e.VisitorId == g.Key).Min(e => e.Time),
            lastVisit = Scenario.Events.Where(e => e.VisitorId == g.Key).Max(e => e.Time),
            daysActive = g.Select(Day).Distinct().Count(),
            numMinutes = g.Where(e => e.Type != "track").Select(e => e.Time / 60_000).Distinct().Count(),
            numEvents = g.Count(),
            pageViews = g.Count(e => e.Type == "load"),
            clicks = g.Count(e => e.Type == "click"),
            featureClicks = g.Count(e => e.Button == "export"),
            trackEvents = g.Count(e => e.Type == "track"),
            plan = Plan(g.Key),
        }).OrderByDescending(v => v.numEvents).ThenBy(v => v.id, StringComparer.Ordinal).ToList();

        list.GetProperty("total").GetInt32().ShouldBe(expected.Count);
        var rows = list.GetProperty("rows").EnumerateArray().Select(r => new
        {
            id = r.GetProperty("id").GetString()!,
            firstVisit = r.GetProperty("firstVisit").GetInt64(), lastVisit = r.GetProperty("lastVisit").GetInt64(),
            daysActive = r.GetProperty("daysActive").GetInt32(), numMinutes = r.GetProperty("numMinutes").GetInt32(),
            numEvents = r.GetProperty("numEvents").GetInt32(), pageViews = r.GetProperty("pageViews").GetInt32(), clicks = r.GetProperty("clicks").GetInt32(),
            featureClicks = r.GetProperty("featureClicks").GetInt32(), trackEvents = r.GetProperty("trackEvents").GetInt32(),
            plan = r.GetProperty("custom.plan").GetString()!,
        }).ToList();
        rows.ShouldBe(expected);
        export.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_account_list_is_saved_as_a_report_and_read_as_json_and_csv()
    {
        var created = await (await _gp.Admin.PostJsonAsync("/api/v1/report", new
        {
            name = "Accounts",
            definition = new { level = "account", from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}", columns = new[] { "numVisitors", "numMinutes", "daysActive", "custom.tier" }, sort = "id" },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        created.GetProperty("definition").GetProperty("generator").GetString().ShouldBe("accountList");

        var expected = InRange.GroupBy(e => e.AccountId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{g.Key},{g.Select(e => Scenario.Identified(e.VisitorId)).Distinct().Count()}," +
            $"{g.Where(e => e.Type != "track").Select(e => (Scenario.Identified(e.VisitorId), e.Time / 60_000)).Distinct().Count()}," +
            $"{g.Select(Day).Distinct().Count()},{Tier(g.Key)}").ToList();
        var csv = await _gp.Admin.GetAsync($"/api/v1/report/{id}/results.csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("id,numVisitors,numMinutes,daysActive,custom.tier");
        lines.Skip(1).ShouldBe(expected);

        var json = await (await _gp.Admin.GetAsync($"/api/v1/report/{id}/results.json")).ShouldBeJsonAsync(HttpStatusCode.OK);
        json.GetProperty("rows").GetArrayLength().ShouldBe(expected.Count);
        (await (await _gp.Admin.GetAsync("/api/v1/report")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(1);
        await (await _gp.Admin.GetAsync("/api/v1/report/nope/results.json")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Segments_select_the_same_visitors_in_bulk_and_one_by_one()
    {
        var reports = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });
        var proReaders = await CreateAsync("/api/v1/segment", new
        {
            name = "Pro readers",
            rules = new { and = new object[] { new { field = "custom.plan", value = "pro" }, new { behavior = "page", id = reports, atLeast = 3, days = 4 } } },
        });
        var goldOrAnonymous = await CreateAsync("/api/v1/segment", new
        {
            name = "Gold or anonymous",
            rules = new { or = new object[] { new { anonymous = true }, new { field = "custom.tier", op = "eq", value = "GOLD", account = true } } },
        });

        var nowHour = Now.ToUnixTimeMilliseconds() / 3_600_000;
        var since = (nowHour - 4 * 24 + 1) * 3_600_000;
        var expectedReaders = Visitors.Where(v => Plan(v) == "pro" && Scenario.Events.Count(e =>
            Scenario.Identified(e.VisitorId) == v && e.Type == "load" && e.Section == "reports" && e.Time >= since) >= 3).Order(StringComparer.Ordinal).ToList();
        var expectedGold = Visitors.Where(v => v.StartsWith("_PENDO_T_") || Scenario.Events.Any(e => Scenario.Identified(e.VisitorId) == v && Tier(e.AccountId) == "gold"))
            .Order(StringComparer.Ordinal).ToList();
        expectedReaders.ShouldNotBeEmpty();
        expectedReaders.Count.ShouldBeLessThan(Visitors.Count());

        foreach (var (segment, expected) in new[] { (proReaders, expectedReaders), (goldOrAnonymous, expectedGold) })
        {
            var members = await (await _gp.Admin.GetAsync($"/api/v1/segment/{segment}/visitors")).ShouldBeJsonAsync(HttpStatusCode.OK);
            members.GetProperty("visitors").EnumerateArray().Select(v => v.GetString()).ShouldBe(expected);
            foreach (var visitor in Visitors)
            {
                var check = await (await _gp.Admin.GetAsync($"/api/v1/segment/{segment}/visitor/{visitor}")).ShouldBeJsonAsync(HttpStatusCode.OK);
                check.GetProperty("member").GetBoolean().ShouldBe(expected.Contains(visitor), visitor);
            }
        }

        var list = await (await _gp.Admin.PostJsonAsync("/api/analytics/lists", new
        {
            level = "visitor", from = "2026-10-01", to = "2026-11-30", segmentId = proReaders, columns = new[] { "pageViews" },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe(expectedReaders);
    }

    [Theory]
    [InlineData("{\"name\":\"s\"}", "rules is required")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"and\":[]}}", "rules.and must be a non-empty array")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"or\":[{\"field\":\"plan\"}]}}", "rules.or[0].field must be group.name")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"field\":\"agent.plan\",\"op\":\"like\",\"value\":1}}", "op 'like'")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"behavior\":\"page\",\"id\":\"nope\"}}", "No page 'nope'")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"behavior\":\"page\",\"id\":\"x\",\"days\":400}}", "days must be")]
    [InlineData("{\"name\":\"s\",\"rules\":{\"colour\":\"red\"}}", "must have and, or, field, behavior or anonymous")]
    public async Task Bad_segments_are_explained(string body, string expected)
    {
        var response = await _gp.Admin.PostAsync("/api/v1/segment", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(expected);
    }

    [Theory]
    [InlineData("{\"level\":\"team\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"columns\":[\"numEvents\"]}", "level 'team'")]
    [InlineData("{\"level\":\"visitor\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"columns\":[]}", "at least one")]
    [InlineData("{\"level\":\"visitor\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"columns\":[\"bogus\"]}", "column 'bogus'")]
    [InlineData("{\"level\":\"visitor\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"columns\":[\"numEvents\"],\"sort\":\"pageViews\"}", "sort 'pageViews'")]
    [InlineData("{\"level\":\"visitor\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"columns\":[\"numEvents\"],\"segmentId\":\"nope\"}", "No segment 'nope'")]
    [InlineData("{\"level\":\"visitor\",\"to\":\"2026-11-02\",\"columns\":[\"numEvents\"]}", "from is required")]
    public async Task Bad_lists_are_explained(string body, string expected)
    {
        var response = await _gp.Admin.PostAsync("/api/analytics/lists", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(expected);
    }

    private async Task<string> CreateAsync(string path, object body) =>
        (await (await _gp.Admin.PostJsonAsync(path, body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}

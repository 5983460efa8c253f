using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using NodaTime;

namespace Guidepost.Server.Tests.Analytics;

/// <summary>Funnels, paths, retention and breakdowns, checked against answers computed from the generated events.</summary>
public sealed class JourneysTests : IAsyncLifetime
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly ActivityScenario Scenario = ActivityScenario.Generate(seed: 23, Instant.FromUtc(2026, 10, 29, 0, 0).ToUnixTimeMilliseconds(), days: 6);
    private static readonly LocalDate First = new(2026, 10, 30);
    private static readonly LocalDate Last = new(2026, 11, 2);
    private static readonly long FromMs = Zone.AtStartOfDay(First).ToInstant().ToUnixTimeMilliseconds();
    private static readonly long ToMs = Zone.AtStartOfDay(Last.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds();

    private TestInstallation _gp = null!;
    private string _reports = "", _export = "", _exported = "";

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync();
        (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}", new { timeZone = Zone.Id })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var clients = new[] { (Chrome, "en-US,en;q=0.9"), (Firefox, "de-DE,de;q=0.8") }.Select(c =>
        {
            var client = _gp.App.CreateClient();
            client.DefaultRequestHeaders.UserAgent.ParseAdd(c.Item1);
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(c.Item2);
            return client;
        }).ToArray();
        foreach (var payload in Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries))
            (await clients[Odd(payload[0].VisitorId)].GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={AgentPayloads.Jzb(ActivityScenario.AgentEvents(payload))}"))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        _reports = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });
        _export = await CreateAsync("/api/v1/feature", new { name = "Export", elementPathRules = new[] { "button#export" } });
        _exported = await CreateAsync("/api/v1/tracktype", new { trackTypeName = "Exported" });
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private static int Odd(string rawVisitor) => Scenario.Identified(rawVisitor)[^1] % 2;
    private static IEnumerable<IGrouping<string, ScenarioEvent>> ByVisitor(long from, long to) => Scenario.Events
        .Where(e => e.Time >= from && e.Time < to).OrderBy(e => e.Time).GroupBy(e => Scenario.Identified(e.VisitorId));

    private static readonly Func<ScenarioEvent, bool>[] Steps =
        [e => e.Type == "load" && e.Section == "reports", e => e.Button == "export", e => e.TrackName == "Exported"];

    [Fact]
    public async Task A_funnel_counts_visitors_through_ordered_steps()
    {
        var expected = new long[3];
        foreach (var visitor in ByVisitor(FromMs, ToMs))
        {
            var reached = 0;
            foreach (var e in visitor)
                if (reached < 3 && Steps[reached](e)) expected[reached++]++;
        }
        expected[2].ShouldBeGreaterThan(0);
        var funnel = await (await _gp.Admin.PostJsonAsync("/api/analytics/funnel", new { from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}", steps = StepRefs() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        funnel.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("count").GetInt64()).ShouldBe(expected);
        funnel.GetProperty("steps")[0].GetProperty("name").GetString().ShouldBe("Reports");
    }

    [Fact]
    public async Task A_funnel_in_attempts_mode_needs_each_step_within_the_timeout()
    {
        var timeout = 10 * 60_000L;
        var expected = new long[3];
        foreach (var visitor in ByVisitor(FromMs, ToMs))
        {
            var (reached, lastAt) = (0, 0L);
            foreach (var e in visitor)
            {
                if (Steps[0](e)) { (reached, lastAt) = (1, e.Time); expected[0]++; }
                else if (reached is 1 or 2 && Steps[reached](e) && e.Time - lastAt <= timeout) { expected[reached]++; (reached, lastAt) = (reached + 1, e.Time); }
            }
        }
        var funnel = await (await _gp.Admin.PostJsonAsync("/api/analytics/funnel", new
        {
            from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}", steps = StepRefs(), mode = "attempts", timeoutMinutes = 10,
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        funnel.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("count").GetInt64()).ShouldBe(expected);
        expected[0].ShouldBeGreaterThan(ByVisitor(FromMs, ToMs).Count(v => v.Any(Steps[0])), "visitors re-enter step 1");
    }

    [Fact]
    public async Task Paths_rank_the_steps_after_a_page_by_share_of_visitors()
    {
        string? Label(ScenarioEvent e) => e.Type switch
        {
            "load" => e.Section == "reports" ? "Reports" : $"untagged page {e.Url}",
            "click" => e.Button == "export" ? "Export" : null,
            "track" => $"track {e.TrackName}",
            _ => null,
        };
        var journeys = new List<List<string>>();
        foreach (var visitor in ByVisitor(FromMs, ToMs))
        {
            var events = visitor.SkipWhile(e => !Steps[0](e)).ToList();
            if (events.Count == 0) continue;
            var steps = new List<string> { "Reports" };
            foreach (var label in events.Skip(1).Select(Label).OfType<string>())
                if (steps.Count <= 3 && steps[^1] != label) steps.Add(label);
            journeys.Add(steps.Skip(1).ToList());
        }
        var paths = await (await _gp.Admin.PostJsonAsync("/api/analytics/paths", new
        {
            from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}", anchor = new { type = "page", id = _reports }, length = 3,
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        for (var position = 0; position < 3; position++)
        {
            var expected = journeys.Where(j => j.Count > position).GroupBy(j => j[position])
                .Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
            paths.GetProperty("positions")[position].EnumerateArray().Select(s => (s.GetProperty("step").GetString()!, s.GetProperty("visitors").GetInt32()))
                .ToList().ShouldBe(expected);
        }
        var csv = await (await _gp.Admin.PostJsonAsync("/api/analytics/paths?format=csv", new
        {
            from = $"{First:yyyy-MM-dd}", to = $"{Last:yyyy-MM-dd}", anchor = new { type = "page", id = _reports }, length = 3,
        })).Content.ReadAsStringAsync();
        csv.ShouldStartWith("position,step,visitors,share\r\n1,");
    }

    [Fact]
    public async Task Retention_follows_each_cohort_from_its_first_active_day_by_local_days()
    {
        // Each identified visitor's local days with an event, their anonymous past included; period p holds the
        // days p after the first (periods of one day).
        LocalDate Day(ScenarioEvent e) => Instant.FromUnixTimeMilliseconds(e.Time).InZone(Zone).Date;
        var days = Scenario.Events.GroupBy(e => Scenario.Identified(e.VisitorId)).Where(g => !g.Key.StartsWith("_PENDO_T_"))
            .ToDictionary(g => g.Key, g => g.Select(Day).Distinct().Order().ToList());
        var expected = days.Where(v => v.Value[0] >= First && v.Value[0] <= Last)
            .GroupBy(v => v.Value[0]).OrderBy(g => g.Key)
            .Select(g => (g.Key.ToString("uuuu-MM-dd", null), g.Count(), string.Join(",", Enumerable.Range(0, 6).Select(p =>
                g.Count(v => v.Value.Any(d => Period.Between(v.Value[0], d, PeriodUnits.Days).Days == p))))))
            .ToList();
        expected.ShouldNotBeEmpty();
        expected.ShouldContain(c => c.Item3.Split(',').Skip(1).Any(n => n != "0"), "some visitors should come back on a later day");
        var retention = await (await _gp.Admin.GetAsync($"/api/analytics/retention?from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}&period=1&periods=6"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        retention.GetProperty("cohorts").EnumerateArray().Select(c => (c.GetProperty("cohort").GetString()!, c.GetProperty("size").GetInt32(),
            string.Join(",", c.GetProperty("retained").EnumerateArray().Select(r => r.GetInt32())))).ToList().ShouldBe(expected);
    }

    [Theory]
    [InlineData("browser", "Chrome", "Firefox")]
    [InlineData("language", "en_US", "de_DE")]
    public async Task Breakdowns_count_visitors_and_events_per_browser_and_language(string by, string even, string odd)
    {
        var expected = Scenario.Events.Where(e => e.Time >= FromMs && e.Time < ToMs).GroupBy(e => Odd(e.VisitorId) == 0 ? even : odd)
            .Select(g => (g.Key, g.Select(e => Scenario.Identified(e.VisitorId)).Distinct().Count(), (long)g.Count()))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
        var breakdown = await (await _gp.Admin.GetAsync($"/api/analytics/breakdown?by={by}&from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        breakdown.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("value").GetString()!, r.GetProperty("numVisitors").GetInt32(), r.GetProperty("numEvents").GetInt64()))
            .ToList().ShouldBe(expected);
    }

    [Fact]
    public async Task The_product_engagement_score_combines_adoption_stickiness_and_growth()
    {
        (await _gp.Admin.PutAsJsonAsync($"/api/v1/page/{_reports}", new { name = "Reports", rules = new[] { "//*/reports/*" }, isCoreEvent = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _gp.Admin.PutAsJsonAsync($"/api/v1/feature/{_export}", new { name = "Export", elementPathRules = new[] { "button#export" }, isCoreEvent = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var window = (First: new LocalDate(2026, 11, 1), Last: new LocalDate(2026, 11, 2));
        LocalDate Day(ScenarioEvent e) => Instant.FromUnixTimeMilliseconds(e.Time).InZone(Zone).Date;
        var byVisitor = Scenario.Events.GroupBy(e => Scenario.Identified(e.VisitorId)).ToDictionary(g => g.Key, g => g.ToList());
        var active = byVisitor.Where(v => v.Value.Any(e => Day(e) >= window.First && Day(e) <= window.Last)).Select(v => v.Key).ToHashSet();
        var previous = byVisitor.Where(v => v.Value.Any(e => Day(e) >= window.First.PlusDays(-2) && Day(e) < window.First)).Select(v => v.Key).ToHashSet();
        var earlier = byVisitor.Where(v => v.Value.Any(e => Day(e) < window.First.PlusDays(-2))).Select(v => v.Key).ToHashSet();
        double adoption = 100.0 * active.Sum(v => (byVisitor[v].Any(e => Day(e) >= window.First && Day(e) <= window.Last && Steps[0](e)) ? 1 : 0)
            + (byVisitor[v].Any(e => Day(e) >= window.First && Day(e) <= window.Last && Steps[1](e)) ? 1 : 0)) / 2 / active.Count;
        double stickiness = 100.0 * (active.Count(v => byVisitor[v].Any(e => Day(e) == window.First)) + active.Count(v => byVisitor[v].Any(e => Day(e) == window.Last))) / 2 / active.Count;
        var gained = active.Count(v => !previous.Contains(v));
        var dropped = previous.Count(v => !active.Contains(v));
        double growth = 100.0 * gained / (gained + dropped);
        active.Count(v => !previous.Contains(v) && earlier.Contains(v)).ShouldBeGreaterThan(0, "the scenario should have recovered visitors");

        var pes = (await (await _gp.Admin.GetAsync("/api/analytics/engagement?to=2026-11-02&days=2")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("result");
        pes.GetProperty("active").GetInt32().ShouldBe(active.Count);
        pes.GetProperty("dropped").GetInt32().ShouldBe(dropped);
        pes.GetProperty("adoption").GetDouble().ShouldBe(adoption, 1e-9);
        pes.GetProperty("stickiness").GetDouble().ShouldBe(stickiness, 1e-9);
        pes.GetProperty("growth").GetDouble().ShouldBe(growth, 1e-9);
        pes.GetProperty("score").GetDouble().ShouldBe((adoption + stickiness + growth) / 3, 1e-9);

        // The same window through the Aggregations API's generator stage: the two days before 3 November.
        var generated = (await (await _gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(
                """{"request":{"pipeline":[{"pes":{"firstDay":"date(2026, 11, 3)","dayCount":-2}}]}}""", System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results")[0];
        generated.GetProperty("adoption").GetDouble().ShouldBe(adoption, 1e-9);
        generated.GetProperty("stickiness").GetDouble().ShouldBe(stickiness, 1e-9);
        generated.GetProperty("growth").GetDouble().ShouldBe(growth, 1e-9);
        generated.GetProperty("pes").GetDouble().ShouldBe((adoption + stickiness + growth) / 3, 1e-9);
        generated.GetProperty("active").GetInt32().ShouldBe(active.Count);
        await (await _gp.Admin.GetAsync("/api/analytics/engagement?days=2")).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        await (await _gp.Admin.GetAsync("/api/analytics/engagement?to=2026-11-02&days=400")).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/analytics/funnel", "{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"steps\":[{\"type\":\"page\",\"id\":\"x\"}]}", "2 to 20 steps")]
    [InlineData("/api/analytics/funnel", "{\"from\":\"2026-01-01\",\"to\":\"2026-11-02\",\"steps\":[{\"type\":\"page\",\"id\":\"x\"},{\"type\":\"page\",\"id\":\"y\"}]}", "at most 90 days")]
    [InlineData("/api/analytics/funnel", "{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"steps\":[{\"type\":\"page\",\"id\":\"x\"},{\"type\":\"guide\",\"id\":\"y\"}]}", "steps[0]: no page 'x'")]
    [InlineData("/api/analytics/funnel", "{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"mode\":\"sometimes\",\"steps\":[{\"type\":\"page\",\"id\":\"x\"},{\"type\":\"page\",\"id\":\"y\"}]}", "mode 'sometimes'")]
    [InlineData("/api/analytics/paths", "{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\"}", "anchor is required")]
    [InlineData("/api/analytics/paths", "{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"anchor\":{\"type\":\"page\",\"id\":\"x\"},\"length\":50}", "length must be")]
    public async Task Bad_journey_requests_are_explained(string path, string body, string expected)
    {
        var response = await _gp.Admin.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(expected);
    }

    private object[] StepRefs() => [new { type = "page", id = _reports }, new { type = "feature", id = _export }, new { type = "trackType", id = _exported }];

    private async Task<string> CreateAsync(string path, object body) =>
        (await (await _gp.Admin.PostJsonAsync(path, body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}

using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using NodaTime;

namespace Guidepost.Server.Tests.Analytics;

/// <summary>Usage over time of pages, features and track types, checked against answers computed from the
/// generated events: retroactive rules, rule edits, late events, anonymous visitors who identify, a DST
/// change and a half-hour time zone.</summary>
public sealed class UsageTests : IAsyncLifetime
{
    // Six days around the end of US daylight saving time (1 November 2026, 06:00 UTC).
    private static readonly long Start = Instant.FromUtc(2026, 10, 29, 0, 0).ToUnixTimeMilliseconds();
    private static readonly LocalDate First = new(2026, 10, 28);
    private static readonly LocalDate Last = new(2026, 11, 4);
    private static readonly ActivityScenario Scenario = ActivityScenario.Generate(seed: 7, Start, days: 6);

    private TestInstallation _gp = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync();
        await UseTimeZoneAsync("America/New_York");
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    [Fact]
    public async Task A_page_created_after_the_fact_counts_all_history_and_an_edit_recounts_it()
    {
        await SendAsync(Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries));
        var page = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });

        await UsageShouldBeAsync($"of=page&id={page}", e => e.Type == "load" && e.Section == "reports", e => e.Type != "track" && e.Section == "reports");

        (await _gp.Admin.PutAsync($"/api/v1/page/{page}", Json(new { name = "Settings", rules = new[] { "//*/settings/*" } })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await UsageShouldBeAsync($"of=page&id={page}", e => e.Type == "load" && e.Section == "settings", e => e.Type != "track" && e.Section == "settings");
        await UsageShouldBeAsync($"of=page&id={page}&interval=week", e => e.Type == "load" && e.Section == "settings",
            e => e.Type != "track" && e.Section == "settings", Week);
    }

    [Fact]
    public async Task Events_with_new_urls_and_paths_after_a_tag_is_read_are_counted_on_the_next_read()
    {
        var onTime = Scenario.OnTimeDeliveries.SelectMany(d => d).Distinct().ToList();
        await SendAsync(Scenario.OnTimeDeliveries);
        var page = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });
        var feature = await CreateAsync("/api/v1/feature", new { name = "Help", elementPathRules = new[] { "#help" } });
        await UsageShouldBeAsync($"of=page&id={page}", e => e.Type == "load" && e.Section == "reports", e => e.Type != "track" && e.Section == "reports", events: onTime);
        await UsageShouldBeAsync($"of=feature&id={feature}", e => e.Button == "help", e => e.Button == "help", events: onTime);

        // Offline tabs arrive, and with them a URL and an element path the tags were never matched against.
        ScenarioEvent[] novel =
        [
            new("load", Start + 3_600_000, "visitor-1", "account-1", "tab-new", 0, "https://app.example/reports/99", "reports", null, null),
            new("click", Start + 3_660_000, "visitor-1", "account-1", "tab-new", 1, "https://app.example/reports/99", "zeta", "help", null),
        ];
        var all = Scenario.Events.Concat(novel).ToList();
        all.Select(e => e.Url).Distinct().Count().ShouldBeGreaterThan(Scenario.Events.Select(e => e.Url).Distinct().Count());
        await SendAsync([.. Scenario.LateDeliveries, novel]);
        await UsageShouldBeAsync($"of=page&id={page}", e => e.Type == "load" && e.Section == "reports", e => e.Type != "track" && e.Url.Contains("/reports/"), events: all);
        await UsageShouldBeAsync($"of=feature&id={feature}", e => e.Button == "help", e => e.Button == "help", events: all);
    }

    [Fact]
    public async Task Features_count_clicks_on_matching_elements_anywhere_or_on_one_page()
    {
        await SendAsync(Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries));
        var anywhere = await CreateAsync("/api/v1/feature", new { name = "Export", elementPathRules = new[] { "div.toolbar > button#export" } });
        var billingPage = await CreateAsync("/api/v1/page", new { name = "Billing", rules = new[] { "//*/billing/*" } });
        var onBilling = await CreateAsync("/api/v1/feature", new { name = "Save on billing", elementPathRules = new[] { "button[name=save]" }, pageId = billingPage });

        await UsageShouldBeAsync($"of=feature&id={anywhere}", e => e.Button == "export", e => e.Button == "export");
        await UsageShouldBeAsync($"of=feature&id={onBilling}", e => e.Button == "save" && e.Section == "billing", e => e.Button == "save" && e.Section == "billing");
    }

    [Fact]
    public async Task Track_types_and_whole_app_totals_count_their_events()
    {
        await SendAsync(Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries));
        var invited = await CreateAsync("/api/v1/tracktype", new { trackTypeName = "Invited" });

        await UsageShouldBeAsync($"of=trackType&id={invited}", e => e.TrackName == "Invited", e => e.TrackName == "Invited");
        await UsageShouldBeAsync("of=pageLoads", e => e.Type == "load", e => e.Type != "track");
        await UsageShouldBeAsync("of=app", _ => true, e => e.Type != "track");
    }

    [Fact]
    public async Task A_chart_that_asks_for_fewer_measures_gets_the_same_numbers_for_them()
    {
        await SendAsync(Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries));
        var expected = ScenarioTruth.Usage(Scenario.Events, DateTimeZoneProviders.Tzdb["America/New_York"], First, Last, Day, e => e.Type == "load", null);
        var report = await (await _gp.Admin.GetAsync($"/api/analytics/usage?of=pageLoads&measures=events,visitors&from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        foreach (var (row, truth) in report.GetProperty("rows").EnumerateArray().Zip(expected))
        {
            row.GetProperty("numEvents").GetInt64().ShouldBe(truth.NumEvents);
            row.GetProperty("numVisitors").GetInt32().ShouldBe(truth.NumVisitors);
            row.GetProperty("numAccounts").ValueKind.ShouldBe(JsonValueKind.Null);
            row.GetProperty("numMinutes").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        report.GetProperty("rows").GetArrayLength().ShouldBe(expected.Count);
    }

    [Fact]
    public async Task Late_events_and_late_identify_events_change_the_days_they_belong_to()
    {
        var onTime = Scenario.OnTimeDeliveries.SelectMany(d => d).Distinct().ToList();
        await SendAsync(Scenario.OnTimeDeliveries);
        await UsageShouldBeAsync("of=app", _ => true, e => e.Type != "track", events: onTime);

        await SendAsync(Scenario.LateDeliveries);
        await UsageShouldBeAsync("of=app", _ => true, e => e.Type != "track");
        Scenario.Events.ShouldContain(e => e.VisitorId.StartsWith("_PENDO_T_") && !Scenario.Links.ContainsKey(e.VisitorId), "some visitors stay anonymous");
    }

    [Fact]
    public async Task Days_follow_the_subscriptions_time_zone_even_at_half_hour_offsets()
    {
        await SendAsync(Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries));
        await UseTimeZoneAsync("Asia/Kolkata");
        await UsageShouldBeAsync("of=app", _ => true, e => e.Type != "track", zone: "Asia/Kolkata");
        await UseTimeZoneAsync("Asia/Kathmandu");
        await UsageShouldBeAsync("of=clicks&interval=month", e => e.Type == "click", null, Month, zone: "Asia/Kathmandu");
    }

    [Theory]
    [InlineData("of=app&to=2026-11-01", HttpStatusCode.BadRequest, "from is required")]
    [InlineData("of=app&from=2026-11-31&to=2026-12-01", HttpStatusCode.BadRequest, "not a date")]
    [InlineData("of=app&from=2026-11-05&to=2026-11-01", HttpStatusCode.BadRequest, "before from")]
    [InlineData("of=app&from=2020-01-01&to=2026-11-01", HttpStatusCode.BadRequest, "at most 731 days")]
    [InlineData("of=app&from=2026-11-01&to=2026-11-02&interval=hourly", HttpStatusCode.BadRequest, "interval")]
    [InlineData("of=app&from=2026-11-01&to=2026-11-02&appId=999999", HttpStatusCode.BadRequest, "appId")]
    [InlineData("of=pages&from=2026-11-01&to=2026-11-02", HttpStatusCode.BadRequest, "of 'pages'")]
    [InlineData("of=app&from=2026-11-01&to=2026-11-02&measures=events,all", HttpStatusCode.BadRequest, "'all' is not one of")]
    [InlineData("of=page&from=2026-11-01&to=2026-11-02", HttpStatusCode.BadRequest, "with id")]
    [InlineData("of=page&id=nope&from=2026-11-01&to=2026-11-02", HttpStatusCode.NotFound, "No page 'nope'")]
    public async Task Bad_report_arguments_are_explained(string query, HttpStatusCode status, string expected)
    {
        var detail = await (await _gp.Admin.GetAsync($"/api/analytics/usage?{query}")).ShouldBeErrorAsync(status);
        detail.ShouldContain(expected);
    }

    [Fact]
    public async Task Another_subscriptions_tags_and_events_are_invisible()
    {
        await SendAsync(Scenario.OnTimeDeliveries);
        var page = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });
        var other = await Tenants.CreateAsync(await _gp.App.LoggedInClientAsync(Bootstrap.AdminUsername, _gp.Bootstrap.AdminPassword), "Other");
        var outsider = _gp.App.KeyClient(other.ReadWriteKey);

        await (await outsider.GetAsync($"/api/analytics/usage?of=page&id={page}&from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}"))
            .ShouldBeErrorAsync(HttpStatusCode.NotFound);
        var theirs = await (await outsider.GetAsync($"/api/analytics/usage?of=app&from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        theirs.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("numEvents").GetInt64()).ShouldBe(0);
    }

    private static LocalDate Day(LocalDate d) => d;
    private static LocalDate Week(LocalDate d) => d.PlusDays(-((int)d.DayOfWeek % 7));
    private static LocalDate Month(LocalDate d) => new(d.Year, d.Month, 1);

    private async Task UsageShouldBeAsync(
        string query, Func<ScenarioEvent, bool> counted, Func<ScenarioEvent, bool>? timed, Func<LocalDate, LocalDate>? periodOf = null,
        IReadOnlyCollection<ScenarioEvent>? events = null, string zone = "America/New_York")
    {
        var expected = ScenarioTruth.Usage(events ?? Scenario.Events, DateTimeZoneProviders.Tzdb[zone], First, Last, periodOf ?? Day, counted, timed);
        expected.Sum(u => u.NumEvents).ShouldBeGreaterThan(0, "the scenario should exercise this report");
        var report = await (await _gp.Admin.GetAsync($"/api/analytics/usage?{query}&from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        report.GetProperty("timeZone").GetString().ShouldBe(zone);
        var actual = report.GetProperty("rows").EnumerateArray().Select(r => new ExpectedUsage(
            NodaTime.Text.LocalDatePattern.Iso.Parse(r.GetProperty("period").GetString()!).Value,
            r.GetProperty("numEvents").GetInt64(), r.GetProperty("numVisitors").GetInt32(), r.GetProperty("numAnonymousVisitors").GetInt32(),
            r.GetProperty("numAccounts").GetInt32(),
            r.GetProperty("numMinutes").ValueKind == JsonValueKind.Null ? 0 : r.GetProperty("numMinutes").GetInt64())).ToList();
        actual.ShouldBe(expected, query);
    }

    private async Task UseTimeZoneAsync(string zone) =>
        (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}", new { timeZone = zone })).StatusCode.ShouldBe(HttpStatusCode.OK);

    private async Task<string> CreateAsync(string path, object body) =>
        (await (await _gp.Admin.PostJsonAsync(path, body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private async Task SendAsync(IEnumerable<ScenarioEvent[]> deliveries)
    {
        var beacon = _gp.App.CreateClient();
        foreach (var payload in deliveries)
        {
            var jzb = AgentPayloads.Jzb(ActivityScenario.AgentEvents(payload));
            var track = payload[0].Type == "track" && payload.All(e => e.Type == "track") ? "&type=track" : "";
            var response = await beacon.GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&ct={payload[^1].Time}&jzb={jzb}{track}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

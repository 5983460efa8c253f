using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using NodaTime;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The <c>timespan</c> source, the <c>retention</c> operator and <c>?details=true</c>, checked against
/// answers computed from the generated events alone: visitors merged by the identify events, minutes as
/// <c>floor(time / 60000) * 60000</c>, local days of each event's instant in New York, relative periods
/// counted in local calendar days with NodaTime.</summary>
[Collection(AggregationCollection.Name)]
public sealed class TimespanRetentionTests(AggregationFixture fx)
{
    /// <summary>The local days the scenario's events fall on (and one spare day at the end).</summary>
    private static readonly LocalDate FirstDay = new(2026, 10, 28);
    private const int DayCount = 8;

    private static readonly IReadOnlyDictionary<string, string> Links = ScenarioTruth.LinksAmong(Scenario.Events);

    /// <summary>One timespan row as compared: the visitor's (or account's) id, its account, its first and last
    /// minute and its active days' local midnights, comma-joined.</summary>
    private sealed record Span(long AppId, string Id, string? AccountId, long FirstTime, long LastTime, string ActiveDays);

    private static string Who(ScenarioEvent e) => Links.GetValueOrDefault(e.VisitorId, e.VisitorId);

    private static LocalDate Day(long ms) => Instant.FromUnixTimeMilliseconds(ms).InZone(Zone).Date;

    private static long Minute(long ms) => ms - ms % 60_000; // every scenario time is after 1970

    private static bool Anonymous(string visitorId) => visitorId.StartsWith("_PENDO_T_", StringComparison.Ordinal);

    private static JsonElement J(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static bool Has(JsonElement row, string field) => row.TryGetProperty(field, out _);

    private static string Days(IEnumerable<LocalDate> days) => string.Join(",", days.Distinct().Order().Select(LocalMidnight));

    /// <summary>Every stored event (the scenario's events, each once) grouped by <paramref name="keyOf"/>.</summary>
    private List<Span> SpanTruth(Func<ScenarioEvent, string> keyOf, bool accountFromLatestMinute) =>
    [
        .. Scenario.Events.Where(e => keyOf(e).Length > 0).GroupBy(keyOf).Select(g =>
        {
            var lastMinute = g.Max(e => Minute(e.Time));
            var account = accountFromLatestMinute
                ? g.Where(e => Minute(e.Time) == lastMinute).Select(e => e.AccountId).Order(StringComparer.Ordinal).Last()
                : g.Key;
            return new Span(fx.Gp.Target.ApplicationId, g.Key, account.Length == 0 ? null : account,
                g.Min(e => Minute(e.Time)), lastMinute, Days(g.Select(e => Day(e.Time))));
        }),
    ];

    private static Span ParseSpan(JsonElement row, string idField)
    {
        var account = row.GetProperty("accountId");
        return new Span(row.GetProperty("appId").GetInt64(), row.GetProperty(idField).GetString()!,
            account.ValueKind == JsonValueKind.Null ? null : account.GetString(),
            row.GetProperty("firstTime").GetInt64(), row.GetProperty("lastTime").GetInt64(),
            string.Join(",", row.GetProperty("activeDays").EnumerateArray().Select(d => d.GetInt64())));
    }

    /// <summary>A time series of the retention stage: its JSON and, for the truth, the local day it starts on,
    /// how many periods it has and which period a local day belongs to.</summary>
    private sealed record Series(string Period, LocalDate Start, int Count)
    {
        public LocalDate PeriodOf(LocalDate d) => Period switch
        {
            "dayRange" => d,
            "weekRange" => d.PlusDays(-((int)d.DayOfWeek % 7)), // weeks start on Sunday
            "monthRange" => new LocalDate(d.Year, d.Month, 1),
            _ => throw new ArgumentException(Period),
        };

        public LocalDate End => Period switch
        {
            "dayRange" => Start.PlusDays(Count),
            "weekRange" => Start.PlusWeeks(Count),
            _ => Start.PlusMonths(Count),
        };

        public bool Contains(LocalDate d) => d >= PeriodOf(Start) && d < End;

        public string Json => $$"""{"period":"{{Period}}","first":"date({{Start.Year}}, {{Start.Month}}, {{Start.Day}})","count":{{Count}}}""";
    }

    /// <summary>The retention rows of visitors with these active days: per row its id, cohort (local midnight)
    /// and relative periods <c>floor(calendar days since the start day / offset)</c>, as "id|cohort|k,k".</summary>
    private static List<string> RetentionTruth(IEnumerable<(string Id, IReadOnlyList<LocalDate> Days)> visitors, Series series, int offset, bool all)
    {
        string Row(string id, IReadOnlyList<LocalDate> days, LocalDate start)
        {
            var periods = days.Where(d => d >= start).Select(d => Period.Between(start, d, PeriodUnits.Days).Days / offset).Distinct().Order();
            return $"{id}|{LocalMidnight(series.PeriodOf(start))}|{string.Join(",", periods)}";
        }

        var rows = new List<string>();
        foreach (var (id, unsorted) in visitors)
        {
            var days = unsorted.Distinct().Order().ToList();
            if (days.Count == 0) continue;
            if (!all)
            {
                if (series.Contains(days[0])) rows.Add(Row(id, days, days[0]));
                continue;
            }
            foreach (var period in days.Where(series.Contains).GroupBy(series.PeriodOf))
                rows.Add(Row(id, days, period.Min()));
        }
        return rows;
    }

    /// <summary>Each identified visitor (anonymous ids that identified merged in) with its local active days.</summary>
    private static IEnumerable<(string Id, IReadOnlyList<LocalDate> Days)> IdentifiedVisitorDays() =>
        Scenario.Events.GroupBy(Who).Where(g => !Anonymous(g.Key))
            .Select(g => (g.Key, (IReadOnlyList<LocalDate>)[.. g.Select(e => Day(e.Time)).Distinct().Order()]));

    private static string RetentionRow(JsonElement row, string idField, string cohortField, string periodsField) =>
        $"{row.GetProperty(idField).GetString()}|{row.GetProperty(cohortField).GetInt64()}|{string.Join(",", row.GetProperty(periodsField).EnumerateArray().Select(k => k.GetInt32()))}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timespan_visitor_rows_carry_each_visitors_latest_account_first_and_last_minute_and_local_active_days(bool pushdown)
    {
        var expected = SpanTruth(Who, accountFromLatestMinute: true);
        expected.Count.ShouldBe(Scenario.Events.Select(Who).Distinct().Count());
        Links.Count.ShouldBeGreaterThan(0, "the scenario should have anonymous visitors who identified");
        expected.ShouldNotContain(s => Links.ContainsKey(s.Id), "identified anonymous ids count as their visitor");
        expected.ShouldContain(s => Anonymous(s.Id), "visitors who never identified keep their own row");
        expected.ShouldContain(s => s.ActiveDays.Contains(','), "visitors should be active on several days");

        // The kind defaults to visitor.
        foreach (var parameters in new[] { "null", """{"kind":"visitor"}""" })
        {
            var rows = await fx.RowsAsync([J("""{"source":{"timespan":""" + parameters + "}}")], pushdown);
            rows.Select(r => ParseSpan(r, "visitorId")).ShouldBe(expected, ignoreOrder: true, customMessage: parameters);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timespan_account_rows_carry_each_accounts_first_and_last_minute_and_local_active_days(bool pushdown)
    {
        var expected = SpanTruth(e => e.AccountId, accountFromLatestMinute: false);
        expected.Count.ShouldBeGreaterThan(3);
        foreach (var appId in new[] { fx.Gp.Target.ApplicationId.ToString(), "\"expandAppIds(\\\"*\\\")\"" })
        {
            var rows = await fx.RowsAsync([J("""{"source":{"timespan":{"kind":"account","appId":""" + appId + ""","blacklist":"apply"}}}""")], pushdown);
            rows.Select(r => ParseSpan(r, "accountId")).ShouldBe(expected, ignoreOrder: true, customMessage: appId);
            rows.ShouldAllBe(r => !Has(r, "visitorId"));
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public async Task Retention_by_first_day_puts_each_visitor_in_the_cohort_of_its_first_active_day_with_the_periods_it_came_back(int offset, bool pushdown)
    {
        var series = new Series("dayRange", FirstDay, DayCount);
        var expected = RetentionTruth(IdentifiedVisitorDays(), series, offset, all: false);
        expected.Count.ShouldBe(IdentifiedVisitorDays().Count(), "every visitor's first day is in the scenario's days");
        expected.ShouldContain(r => r.EndsWith(",1", StringComparison.Ordinal) || r.Contains(",1,"), "some visitors should come back in period 1");

        object[] retention =
        [
            J("""{"source":{"timespan":{"kind":"visitor"}}}"""),
            J("""{"identified":"visitorId"}"""),
            J("""{"retention":{"timeSeries":""" + series.Json + ""","offset":""" + offset + ""","cohortField":"cohort","relativePeriodsField":"relativePeriod","cohortMode":"first"}}"""),
        ];

        // Row by row: cohort and relative periods set, the timespan fields kept.
        var rows = await fx.RowsAsync(retention, pushdown);
        rows.Select(r => RetentionRow(r, "visitorId", "cohort", "relativePeriod")).ShouldBe(expected, ignoreOrder: true);
        var spans = SpanTruth(Who, accountFromLatestMinute: true).ToDictionary(s => s.Id);
        foreach (var row in rows) ParseSpan(row, "visitorId").ShouldBe(spans[row.GetProperty("visitorId").GetString()!]);

        // The typical use: visitors per cohort and relative period.
        var counts = await fx.RowsAsync(
        [
            .. retention,
            J("""{"unwind":{"field":"relativePeriod"}}"""),
            J("""{"group":{"group":["cohort","relativePeriod"],"fields":{"visitors":{"count":"visitorId"}}}}"""),
        ], pushdown);
        var expectedCounts = expected.Select(r => r.Split('|')).SelectMany(p => p[2].Split(',').Select(k => (Cohort: long.Parse(p[1]), Period: int.Parse(k))))
            .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        counts.ToDictionary(r => (r.GetProperty("cohort").GetInt64(), r.GetProperty("relativePeriod").GetInt32()), r => r.GetProperty("visitors").GetInt32())
            .ShouldBe(expectedCounts, ignoreOrder: true);
    }

    [Theory]
    [InlineData("dayRange", 2026, 10, 29, 4, 1)]
    [InlineData("weekRange", 2026, 10, 25, 2, 2)]
    public async Task Retention_of_all_periods_gives_a_row_per_visitor_and_period_with_activity_starting_at_its_first_active_day_there(
        string period, int year, int month, int day, int count, int offset)
    {
        var series = new Series(period, new LocalDate(year, month, day), count);
        var expected = RetentionTruth(IdentifiedVisitorDays(), series, offset, all: true);
        expected.Count.ShouldBeGreaterThan(IdentifiedVisitorDays().Count(), "visitors should be active in several periods");

        var rows = await fx.RowsAsync(
        [
            J("""{"source":{"timespan":{"kind":"visitor"}}}"""),
            J("""{"identified":"visitorId"}"""),
            J("""{"retention":{"timeSeries":""" + series.Json + ""","offset":""" + offset + ""","cohortField":"cohortStart","relativePeriodsField":"back","cohortMode":"all"}}"""),
        ]);
        rows.Select(r => RetentionRow(r, "visitorId", "cohortStart", "back")).ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{"period":"dayRange","first":"date(2026, 11, 2)","count":-3}""", "dayRange", 2026, 10, 30, 3, 1, true)]
    [InlineData("""{"period":"dayRange","first":"date(2026, 10, 29)","last":"date(2026, 10, 31, 12, 0, 0)"}""", "dayRange", 2026, 10, 29, 3, 2, true)]
    [InlineData("""{"period":"weekRange","first":"date(2026, 10, 27)","count":2}""", "weekRange", 2026, 10, 25, 2, 3, false)]
    [InlineData("""{"period":"monthRange","first":"date(2026, 10, 1)","count":1}""", "monthRange", 2026, 10, 1, 1, 7, false)]
    public async Task Retention_cohorts_are_the_periods_of_its_time_series_and_visitors_who_started_outside_it_are_dropped(
        string timeSeries, string period, int year, int month, int day, int count, int offset, bool dropsSome)
    {
        var series = new Series(period, new LocalDate(year, month, day), count);
        var visitors = IdentifiedVisitorDays().ToList();
        var expected = RetentionTruth(visitors, series, offset, all: false);
        expected.Count.ShouldBeGreaterThan(0);
        if (dropsSome) expected.Count.ShouldBeLessThan(visitors.Count, "the time series should leave out some visitors' first days");

        // Default fields: cohort, relativePeriods and cohortMode first.
        var rows = await fx.RowsAsync(
        [
            J("""{"source":{"timespan":null}}"""),
            J("""{"identified":"visitorId"}"""),
            J("""{"retention":{"timeSeries":""" + timeSeries + ""","offset":""" + offset + "}}"),
        ]);
        rows.Select(r => RetentionRow(r, "visitorId", "cohort", "relativePeriods")).ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData("first", 1)]
    [InlineData("first", 2)]
    [InlineData("all", 1)]
    [InlineData("all", 3)]
    public async Task Retention_counts_local_calendar_days_across_daylight_saving_and_drops_rows_without_active_days(string mode, int offset)
    {
        // New York springs forward on 8 March 2026: that day has 23 hours.
        (string Id, LocalDate[] Days)[] input =
        [
            ("spring", [new(2026, 3, 7), new(2026, 3, 9), new(2026, 3, 10), new(2026, 3, 12)]),
            ("short-day", [new(2026, 3, 8), new(2026, 3, 9)]),
            ("before", [new(2026, 2, 27), new(2026, 3, 2), new(2026, 3, 4)]),
            ("empty", []),
        ];
        var rowsJson = string.Join(",", input.Select(v => v.Days.Length == 0
            ? $$"""{"visitorId":"{{v.Id}}","note":"n-{{v.Id}}","activeDays":[]}"""
            : $$"""{"visitorId":"{{v.Id}}","note":"n-{{v.Id}}","firstTime":{{LocalMidnight(v.Days[0]) + 36_000_000}},"activeDays":[{{string.Join(",", v.Days.Select(LocalMidnight))}}]}"""));
        rowsJson += """,{"visitorId":"missing","note":"n-missing"}""";
        var series = new Series("dayRange", new LocalDate(2026, 3, 1), 14);
        var expected = RetentionTruth(input.Select(v => (v.Id, (IReadOnlyList<LocalDate>)v.Days)), series, offset, all: mode == "all");

        var rows = await fx.RowsAsync(
        [
            J("""{"source":{"const":[""" + rowsJson + "]}}"),
            J("""{"retention":{"timeSeries":""" + series.Json + ""","offset":""" + offset + ""","cohortField":"cohort","relativePeriodsField":"periods","cohortMode":""" + JsonSerializer.Serialize(mode) + "}}"),
        ]);
        rows.Select(r => RetentionRow(r, "visitorId", "cohort", "periods")).ShouldBe(expected, ignoreOrder: true);
        rows.ShouldAllBe(r => r.GetProperty("note").GetString() == "n-" + r.GetProperty("visitorId").GetString());
        if (offset == 1) expected.ShouldContain($"spring|{LocalMidnight(new LocalDate(2026, 3, 7))}|0,2,3,5");
    }

    private const string Retention = """{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":1}""";

    [Theory]
    [InlineData("""{"source":{"timespan":{"kind":"visitor"},"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8}}}""", "stage 0", "timeSeries")]
    [InlineData("""{"source":{"timespan":{"kind":"banana"}}}""", "stage 0", "kind")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":1,"cohortMode":"banana"}}""", "stage 2", "cohortMode")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":0}}""", "stage 2", "offset")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":"x"}}""", "stage 2", "offset")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":1.5}}""", "stage 2", "offset")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8}}}""", "stage 2", "offset")]
    [InlineData("""{"retention":{"offset":1}}""", "stage 2", "timeSeries")]
    [InlineData("""{"retention":{"timeSeries":{"period":"hourRange","first":"date(2026, 10, 28)","count":8},"offset":1}}""", "stage 2", "hourRange|period")]
    [InlineData("""{"retention":{"timeSeries":{"period":"daily","first":"date(2026, 10, 28)","count":8},"offset":1}}""", "stage 2", "daily|period")]
    [InlineData("""{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":8},"offset":1,"colour":"red"}}""", "stage 2", "colour")]
    public async Task Invalid_timespan_and_retention_stages_are_a_400_naming_the_stage(string stage, string stageName, string mentions)
    {
        // A source stage replaces the timespan source; a retention stage comes after it and identified.
        var pipeline = stage.StartsWith("""{"source""", StringComparison.Ordinal)
            ? $$"""[{{stage}},{"identified":"visitorId"},{"retention":{{Retention}}}]"""
            : """[{"source":{"timespan":{"kind":"visitor"}}},{"identified":"visitorId"},""" + stage + "]";
        var response = await fx.Gp.Admin.PostAsync("/api/v1/aggregation",
            new StringContent("""{"request":{"pipeline":""" + pipeline + "}}", System.Text.Encoding.UTF8, "application/json"));
        var detail = await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        detail.ShouldContain(stageName);
        mentions.Split('|').ShouldContain(word => detail.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{detail}' should mention {mentions}");
    }

    private const string VisitorCount = """{"request":{"pipeline":[{"source":{"visitors":null}},{"count":null}]}}""";

    private const string Batch = """
        {"response":{"mimeType":"application/json"},
         "requests":[{"name":"a","requestId":"a-1","pipeline":[{"source":{"visitors":null}},{"count":null}]},
                     {"name":"b","requestId":"b-1","pipeline":[{"source":{"accounts":null}},{"count":null}]}]}
        """;

    private async Task<HttpResponseMessage> PostAsync(string query, string body) =>
        await fx.Gp.Admin.PostAsync($"/api/v1/aggregation{query}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Details_true_adds_valid_through_per_application_at_the_querys_start_next_to_each_results()
    {
        var applications = (await (await fx.Gp.Admin.GetAsync($"/api/admin/subscriptions/{fx.Gp.Target.SubscriptionId}/applications"))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(a => a.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        applications.ShouldContain(fx.Gp.Target.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        const long Slack = 2_000;

        void ShouldBeValidThrough(JsonElement details, long before, long after)
        {
            var validThrough = details.GetProperty("validThrough");
            validThrough.EnumerateObject().Select(p => p.Name).ShouldBe(applications, ignoreOrder: true);
            foreach (var app in validThrough.EnumerateObject())
                app.Value.GetInt64().ShouldBeInRange(before - Slack, after + Slack, $"validThrough of application {app.Name}");
        }

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var single = await (await PostAsync("?details=true", VisitorCount)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        single.GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(Scenario.Events.Select(e => e.VisitorId).Distinct().Count());
        ShouldBeValidThrough(single.GetProperty("details"), before, after);

        before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = await (await PostAsync("?details=true", Batch)).ShouldBeJsonAsync(HttpStatusCode.OK);
        after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var responses = batch.GetProperty("responses").EnumerateArray().ToList();
        responses.Select(r => r.GetProperty("requestId").GetString()).ShouldBe(["a-1", "b-1"]);
        foreach (var response in responses)
        {
            response.GetProperty("results").GetArrayLength().ShouldBe(1);
            ShouldBeValidThrough(response.GetProperty("details"), before, after);
        }
    }

    [Fact]
    public async Task Without_details_true_no_details_key_appears()
    {
        foreach (var query in new[] { "", "?details=false" })
        {
            var single = await (await PostAsync(query, VisitorCount)).ShouldBeJsonAsync(HttpStatusCode.OK);
            single.TryGetProperty("results", out _).ShouldBeTrue();
            single.TryGetProperty("details", out _).ShouldBeFalse(query);
            var batch = await (await PostAsync(query, Batch)).ShouldBeJsonAsync(HttpStatusCode.OK);
            batch.TryGetProperty("details", out _).ShouldBeFalse(query);
            batch.GetProperty("responses").EnumerateArray().ShouldAllBe(r => !Has(r, "details"));
        }
    }

    [Fact]
    public async Task Details_other_than_true_or_false_is_a_400_json_error()
    {
        // The documented error shape: {"error": …, "detail": …}.
        await (await PostAsync("?details=banana", VisitorCount)).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_visitors_account_is_that_of_their_latest_minute_the_greatest_id_when_several_share_it(bool pushdown)
    {
        // Written out by hand: each visitor's events in accounts by time (seconds after 10:00 UTC).
        await using var gp = await TestInstallation.StartAsync();
        var start = Instant.FromUtc(2026, 11, 2, 10, 0).ToUnixTimeMilliseconds();
        (string Visitor, string Account, int Second)[] events =
        [
            ("moved", "acme", 0), ("moved", "globex", 3_600),                  // a later hour: globex
            ("returned", "globex", 0), ("returned", "acme", 7_200),            // back to acme two hours later
            ("shared", "acme", 0), ("shared", "globex", 300), ("shared", "acme", 330), // globex and acme in minute 5: globex sorts last
            ("alone", "", 60),                                                 // no account: null
        ];
        var beacon = gp.App.CreateClient();
        foreach (var (e, i) in events.Select((e, i) => (e, i)))
        {
            var payload = ActivityScenario.AgentEvents([new ScenarioEvent("load", start + e.Second * 1000L, e.Visitor, e.Account, "tab-" + e.Visitor, i, "https://app.example.com/home", "home", null, null)]);
            (await beacon.GetAsync($"/data/ptm.gif/{gp.Target.ApiKey}?v=2.291.4_prod&ct={start + e.Second * 1000L}&jzb={AgentPayloads.Jzb(payload)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var response = await gp.Admin.PostAsync($"/api/v1/aggregation{(pushdown ? "" : "?pushdown=false")}", new StringContent(
            """{"request":{"pipeline":[{"source":{"timespan":{"kind":"visitor"}}},{"select":{"visitorId":"visitorId","accountId":"accountId","lastTime":"lastTime"}}]}}""",
            System.Text.Encoding.UTF8, "application/json"));
        var rows = (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("visitorId").GetString()!, r => (Account: r.GetProperty("accountId").GetString(), Last: r.GetProperty("lastTime").GetInt64()));
        rows["moved"].ShouldBe(("globex", start + 3_600_000));
        rows["returned"].ShouldBe(("acme", start + 7_200_000));
        rows["shared"].ShouldBe(("globex", start + 300_000));
        rows["alone"].ShouldBe(((string?)null, start + 60_000));
        rows.Count.ShouldBe(4);
    }
}

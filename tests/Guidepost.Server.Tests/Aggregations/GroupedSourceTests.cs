using System.Text.Json;
using Guidepost.Testing.Analytics;
using NodaTime;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The grouped event sources row by row against answers computed from the generated events alone
/// (local periods from each event's instant, visitors merged by the identify events, minutes as distinct
/// epoch minutes), with pushdown on and off.</summary>
[Collection(AggregationCollection.Name)]
public sealed class GroupedSourceTests(AggregationFixture fx)
{
    private static readonly LocalDate First = new(2026, 10, 28);
    private static readonly LocalDate Last = new(2026, 11, 4);

    private readonly record struct Key(long Period, string Visitor, string? Account, string Object);

    /// <summary>numEvents and numMinutes per period × visitor × account, for the events <paramref name="counted"/>
    /// counts and <paramref name="timed"/> times; only keys with a counted event.</summary>
    private static Dictionary<Key, (long Events, long Minutes)> Truth(
        Func<ScenarioEvent, bool> counted, Func<ScenarioEvent, bool> timed, string objectId, Func<LocalDate, LocalDate>? periodOf = null)
    {
        var links = ScenarioTruth.LinksAmong(Scenario.Events);
        var (from, to) = (LocalMidnight(First), LocalMidnight(Last.PlusDays(1)));
        var keys = new Dictionary<Key, (long Events, HashSet<long> Minutes)>();
        foreach (var e in Scenario.Events.Where(e => e.Time >= from && e.Time < to))
        {
            var day = Instant.FromUnixTimeMilliseconds(e.Time).InZone(Zone).Date;
            var key = new Key(LocalMidnight((periodOf ?? (d => d))(day)), links.GetValueOrDefault(e.VisitorId, e.VisitorId),
                string.IsNullOrEmpty(e.AccountId) ? null : e.AccountId, objectId);
            if (!keys.TryGetValue(key, out var value)) keys[key] = value = (0, []);
            if (counted(e)) keys[key] = value = (value.Events + 1, value.Minutes);
            if (timed(e)) value.Minutes.Add(e.Time / 60_000);
        }
        return keys.Where(k => k.Value.Events > 0).ToDictionary(k => k.Key, k => (k.Value.Events, (long)k.Value.Minutes.Count));
    }

    private static Dictionary<Key, (long Events, long Minutes)> Actual(List<JsonElement> rows, string bucket, string objectField) =>
        rows.ToDictionary(
            r => new Key(r.GetProperty(bucket).GetInt64(), r.GetProperty("visitorId").GetString()!,
                r.GetProperty("accountId").ValueKind == JsonValueKind.Null ? null : r.GetProperty("accountId").GetString(), r.GetProperty(objectField).GetString()!),
            r => (r.GetProperty("numEvents").GetInt64(), r.GetProperty("numMinutes").GetInt64()));

    private static object Source(string name, object? parameters, string period = "dayRange") => new Dictionary<string, object?>
    {
        ["source"] = new Dictionary<string, object?>
        {
            [name] = parameters,
            ["timeSeries"] = new { period, first = $"date(\"{First:yyyy-MM-dd}\")", last = $"date(\"{Last:yyyy-MM-dd}T23:59\")" },
        },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Page_feature_and_track_rows_match_the_events(bool pushdown)
    {
        var pages = await fx.RowsAsync([Source("pageEvents", new { pageId = fx.ReportsPage })], pushdown);
        var expected = Truth(e => e.Type == "load" && e.Section == "reports", e => e.Type != "track" && e.Section == "reports", fx.ReportsPage);
        expected.Count.ShouldBeGreaterThan(20, "the scenario should exercise this source");
        Actual(pages, "day", "pageId").ShouldBe(expected, ignoreOrder: true);
        pages.ShouldAllBe(r => r.GetProperty("appId").GetInt64() == fx.Gp.Target.ApplicationId);

        var features = await fx.RowsAsync([Source("featureEvents", new { featureId = fx.ExportFeature })], pushdown);
        Actual(features, "day", "featureId").ShouldBe(Truth(e => e.Button == "export", e => e.Button == "export", fx.ExportFeature), ignoreOrder: true);

        var tracks = await fx.RowsAsync([Source("trackEvents", null)], pushdown);
        Actual(tracks, "day", "trackTypeId").ShouldBe(Truth(e => e.TrackName == "Invited", e => e.TrackName == "Invited", fx.InvitedTrackType), ignoreOrder: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_event_counts_in_events_by_week_and_track_events_take_no_time(bool pushdown)
    {
        static LocalDate Week(LocalDate d) => d.PlusDays(-((int)d.DayOfWeek % 7));
        var rows = await fx.RowsAsync([Source("events", null, "weekRange")], pushdown);
        Actual(rows, "week", "pageId").ShouldBe(Truth(_ => true, e => e.Type != "track", "allevents", Week), ignoreOrder: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Page_views_and_visitors_by_day_are_the_sums_of_the_rows(bool pushdown)
    {
        var rows = await fx.RowsAsync(
        [
            Source("pageEvents", new { pageId = fx.ReportsPage }),
            new { group = new { group = new[] { "day" }, fields = new { views = new { sum = "numEvents" }, visitors = new { count = "visitorId" } } } },
            new { sort = new[] { "day" } },
        ], pushdown);
        var truth = Truth(e => e.Type == "load" && e.Section == "reports", _ => false, fx.ReportsPage)
            .GroupBy(k => k.Key.Period).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(k => k.Value.Events), g.Select(k => k.Key.Visitor).Distinct().Count())).ToList();
        rows.Select(r => (r.GetProperty("day").GetInt64(), r.GetProperty("views").GetInt64(), r.GetProperty("visitors").GetInt32())).ToList().ShouldBe(truth);
    }

    [Fact]
    public async Task Hour_rows_follow_local_hours_and_sum_to_the_day_rows()
    {
        var hours = await fx.RowsAsync([Source("events", null, "hourRange"), new { group = new { group = new[] { "hour" }, fields = new { n = new { sum = "numEvents" } } } }]);
        var expected = Scenario.Events.Where(e => e.Time >= LocalMidnight(First) && e.Time < LocalMidnight(Last.PlusDays(1)))
            .GroupBy(e => e.Time - e.Time % 3_600_000).ToDictionary(g => g.Key, g => (long)g.Count()); // New York's offsets are whole hours
        hours.ToDictionary(r => r.GetProperty("hour").GetInt64(), r => r.GetProperty("n").GetInt64()).ShouldBe(expected, ignoreOrder: true);
    }
}

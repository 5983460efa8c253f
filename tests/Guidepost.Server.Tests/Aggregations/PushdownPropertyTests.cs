using System.Text.Json;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>Random pipelines run twice — the planner pushing the source, visitor filters and groupings into
/// the store's rollups, and the engine computing the same rows from raw events with no pushdown — must give
/// identical results.</summary>
[Collection(AggregationCollection.Name)]
public sealed class PushdownPropertyTests(AggregationFixture fx)
{
    private static readonly string[] Periods = ["dayRange", "hourRange", "weekRange"];

    [Fact]
    public async Task Random_pipelines_answer_the_same_with_pushdown_on_and_off()
    {
        var random = new Random(20261125);
        var visitors = Scenario.Events.Select(e => Scenario.Identified(e.VisitorId)).Distinct().Order(StringComparer.Ordinal).ToList();
        var accounts = Scenario.Events.Select(e => e.AccountId).Where(a => a.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var nonEmpty = 0;
        for (var i = 0; i < 120; i++)
        {
            var pipeline = RandomPipeline(random, visitors, accounts);
            var text = JsonSerializer.Serialize(pipeline);
            var pushed = Canonical(await fx.RowsAsync(pipeline, pushdown: true));
            var raw = Canonical(await fx.RowsAsync(pipeline, pushdown: false));
            pushed.ShouldBe(raw, text);
            if (pushed.Count > 0) nonEmpty++;
        }
        nonEmpty.ShouldBeGreaterThan(80, "most random pipelines should return rows, or the comparison proves little");
    }

    [Fact]
    public async Task Conditional_distinct_counts_folded_into_the_source_match_the_raw_count()
    {
        // The fold remembers values a condition turned down only when the condition cannot change its mind
        // for the group (it reads the counted field and the group's keys); a condition on the day, grouped
        // without the day, must be asked again for every day.
        object[] pipeline =
        [
            new { source = new { events = (object?)null, timeSeries = new { period = "dayRange", first = "date(2026, 10, 29)", count = 5 } } },
            new { group = new { group = new[] { "appId" }, fields = new
            {
                late = new { countIf = new { count = "visitorId", @if = "day >= date(2026, 10, 31)" } },
                anonymous = new { countIf = new { count = "visitorId", @if = "!identified(visitorId)" } },
            } } },
        ];
        var raw = await fx.RowsAsync(pipeline, pushdown: false);
        Canonical(await fx.RowsAsync(pipeline, pushdown: true)).ShouldBe(Canonical(raw));
        var from = LocalMidnight(new NodaTime.LocalDate(2026, 10, 31));
        var to = LocalMidnight(new NodaTime.LocalDate(2026, 11, 3));
        raw.Single().GetProperty("late").GetInt32().ShouldBe(Scenario.Events.Where(e => e.Time >= from && e.Time < to)
            .Select(e => Scenario.Identified(e.VisitorId)).Distinct().Count());
    }

    [Fact]
    public async Task A_sort_before_a_limit_keeps_the_first_rows_of_the_full_order()
    {
        object[] pipeline =
        [
            new { source = new { events = (object?)null, timeSeries = new { period = "dayRange", first = "date(2026, 10, 29)", count = 5 } } },
            new { group = new { group = new[] { "visitorId" }, fields = new { events = new { sum = "numEvents" } } } },
            new { sort = new[] { "-events", "visitorId" } },
            new { limit = 7 },
        ];
        var from = LocalMidnight(new NodaTime.LocalDate(2026, 10, 29));
        var to = LocalMidnight(new NodaTime.LocalDate(2026, 11, 3));
        var expected = Scenario.Events.Where(e => e.Time >= from && e.Time < to).GroupBy(e => Scenario.Identified(e.VisitorId))
            .Select(g => (Visitor: g.Key, Events: g.Count())).OrderByDescending(v => v.Events).ThenBy(v => v.Visitor, StringComparer.Ordinal).Take(7).ToList();
        foreach (var pushdown in new[] { true, false })
            (await fx.RowsAsync(pipeline, pushdown)).Select(r => (r.GetProperty("visitorId").GetString()!, r.GetProperty("events").GetInt32())).ShouldBe(expected);
    }

    [Fact]
    public async Task A_filter_on_event_counts_before_a_group_keeps_the_full_grouping()
    {
        // Rows merged without visitors would have larger numEvents, so the filter would keep different rows.
        object Source() => new { source = new { events = (object?)null, timeSeries = new { period = "dayRange", first = "date(2026, 10, 29)", count = 5 } } };
        object Group() => new { group = new { group = new[] { "day" }, fields = new { events = new { sum = "numEvents" } } } };
        object[] filtered = [Source(), new { filter = "numEvents > 30" }, Group()];
        var raw = Canonical(await fx.RowsAsync(filtered, pushdown: false));
        raw.ShouldNotBe(Canonical(await fx.RowsAsync([Source(), Group()], pushdown: false)), "the filter should drop some visitors' rows");
        Canonical(await fx.RowsAsync(filtered, pushdown: true)).ShouldBe(raw);
    }

    private object[] RandomPipeline(Random random, List<string> visitors, List<string> accounts)
    {
        var (name, parameters, objectField) = random.Next(6) switch
        {
            0 => ("events", (object?)null, "pageId"),
            5 => ("events", new { types = random.Next(2) == 0 ? new[] { "load" } : ["click", "track"] }, "pageId"),
            1 => ("pageEvents", new { pageId = fx.ReportsPage }, "pageId"),
            2 => ("pageEvents", null, "pageId"),
            3 => ("featureEvents", new { featureId = fx.ExportFeature }, "featureId"),
            _ => ("trackEvents", null, "trackTypeId"),
        };
        var period = Periods[random.Next(Periods.Length)];
        var bucket = period switch { "hourRange" => "hour", "weekRange" => "week", _ => "day" };
        var firstDay = 28 + random.Next(6);
        var stages = new List<object>
        {
            new Dictionary<string, object?>
            {
                ["source"] = new Dictionary<string, object?>
                {
                    [name] = parameters,
                    ["timeSeries"] = new { period, first = $"date(2026, 10, {firstDay})", count = period == "hourRange" ? 24 * (1 + random.Next(4)) : 1 + random.Next(6) },
                },
            },
        };
        var visitor = visitors[random.Next(visitors.Count)];
        var account = accounts[random.Next(accounts.Count)];
        var filters = random.Next(4) == 0 ? 1 + random.Next(2) : 0;
        for (var f = 0; f < filters; f++)
            stages.Add(random.Next(5) switch
            {
                0 => new { filter = $"visitorId == \"{visitor}\"" },
                1 => new { filter = $"numEvents > {random.Next(40)}" },
                2 => (object)new { identified = random.Next(2) == 0 ? "visitorId" : "!visitorId" },
                3 => new { filter = $"accountId == \"{account}\" || isNull(accountId)" },
                _ => new { filter = $"{bucket} >= date(2026, 10, {firstDay + 1})" },
            });
        if (random.Next(4) > 0)
        {
            // Biased toward groupings without the visitor or account, the ones the store can take over.
            string[] keyChoices = [bucket, "appId", objectField];
            var keys = keyChoices.Where(_ => random.Next(2) == 0)
                .Concat(new[] { "visitorId", "accountId" }.Where(_ => random.Next(4) == 0)).ToArray();
            var aggregators = new Dictionary<string, object>();
            (string Name, object Spec)[] choices =
            [
                ("events", new { sum = "numEvents" }), ("minutes", new { sum = "numMinutes" }), ("visitors", new { count = "visitorId" }),
                ("accounts", new { count = "accountId" }), ("rows", new { count = (string?)null }), ("most", new { max = "numEvents" }),
                ("meanMinutes", new { avg = "numMinutes" }), ("pairs", new { count = new[] { "visitorId", "accountId" } }),
                ("pageLoads", new { sum = "numPageLoads" }), ("clicks", new { sum = "numClicks" }),
                ("anonymous", new { countIf = new { count = "visitorId", @if = "!identified(visitorId)" } }),
                ("lateVisitors", new { countIf = new { count = "visitorId", @if = $"{bucket} >= date(2026, 10, {firstDay + 1})" } }),
                ("accountsOfVisitor", new { countIf = new { count = "accountId", @if = $"visitorId == \"{visitor}\"" } }),
            ];
            foreach (var (aggregate, spec) in choices.Where(_ => random.Next(4) == 0)) aggregators[aggregate] = spec;
            if (aggregators.Count == 0) aggregators["events"] = new { sum = "numEvents" };
            stages.Add(new { group = new { group = keys, fields = aggregators } });
            if (random.Next(2) == 0) stages.Add(new { eval = new { perKey = "events / 2" } });
        }
        return [.. stages];
    }

    /// <summary>Rows as sorted JSON texts: both ways may order rows differently where no sort asks otherwise.</summary>
    private static List<string> Canonical(List<JsonElement> rows) => [.. rows.Select(r => r.GetRawText()).Order(StringComparer.Ordinal)];
}

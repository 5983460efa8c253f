using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using NodaTime;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The <c>funnel</c>, <c>path</c> and <c>treeify</c> aggregators over <c>singleEvents</c>, each visitor's
/// answer checked against a walk over the generated events.</summary>
[Collection(AggregationCollection.Name)]
public sealed class JourneyAggregatorTests(AggregationFixture fx)
{
    private static readonly long From = LocalMidnight(new LocalDate(2026, 10, 30));
    private static readonly long To = LocalMidnight(new LocalDate(2026, 11, 3));
    private static readonly string TimeSeries = """{"period":"dayRange","first":""" + From + ""","count":4}""";

    private static bool Reports(ScenarioEvent e) => e.Type == "load" && e.Section == "reports";
    private static bool Export(ScenarioEvent e) => e.Type == "click" && e.Button == "export";
    private static bool Invited(ScenarioEvent e) => e.Type == "track" && e.TrackName == "Invited";

    /// <summary>Each identified visitor's events in the four days, oldest first.</summary>
    private static Dictionary<string, List<ScenarioEvent>> Visitors() => Scenario.Events
        .Where(e => e.Time >= From && e.Time < To).OrderBy(e => e.Time)
        .GroupBy(e => Scenario.Identified(e.VisitorId)).ToDictionary(g => g.Key, g => g.ToList());

    private async Task<List<JsonElement>> RowsAsync(string pipeline, HttpStatusCode status = HttpStatusCode.OK)
    {
        var answer = await fx.AggregateAsync("""{"response":{"mimeType":"application/json"},"request":{"pipeline":""" + Fill(pipeline) + "}}", status);
        return status == HttpStatusCode.OK ? [.. answer.GetProperty("results").EnumerateArray()] : [answer];
    }

    /// <summary>The pipeline with this installation's ids and the four days put in for @-placeholders.</summary>
    private string Fill(string pipeline) => pipeline
        .Replace("@TIMESERIES", TimeSeries).Replace("@APP", fx.Gp.Target.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("@REPORTS", fx.ReportsPage).Replace("@EXPORT", fx.ExportFeature).Replace("@INVITED", fx.InvitedTrackType);

    [Fact]
    public async Task Funnels_follow_each_visitors_attempts_through_the_steps()
    {
        var rows = await RowsAsync("""
            [{"source":{"singleEvents":null,"timeSeries":@TIMESERIES}},
             {"group":{"group":["visitorId"],"fields":{
                "unique":{"funnel":{"items":@ITEMS}},
                "interval":{"funnel":{"items":@ITEMS,"uniqueVisitorFunnel":false,"maxInterval":300}},
                "duration":{"funnel":{"items":@ITEMS,"uniqueVisitorFunnel":false,"maxDuration":300}}}}}]
            """.Replace("@ITEMS", """[{"pageId":"@REPORTS"},{"featureId":"@EXPORT"},{"trackTypeId":"@INVITED"}]"""));
        var visitors = Visitors();
        rows.Select(r => r.GetProperty("visitorId").GetString()!).Order(StringComparer.Ordinal).ShouldBe(visitors.Keys.Order(StringComparer.Ordinal));
        var reachedAll = 0;
        foreach (var row in rows)
        {
            var events = visitors[row.GetProperty("visitorId").GetString()!];
            Attempts(row.GetProperty("unique")).ShouldBe(ExpectedAttempts(events, unique: true));
            Attempts(row.GetProperty("interval")).ShouldBe(ExpectedAttempts(events, unique: false, intervalMs: 300_000));
            Attempts(row.GetProperty("duration")).ShouldBe(ExpectedAttempts(events, unique: false, durationMs: 300_000));
            reachedAll += ExpectedAttempts(events, unique: false, intervalMs: 300_000).Count(a => a.Split(' ').Length == 3);
        }
        reachedAll.ShouldBeGreaterThan(0, "some attempts reach all three steps within the limits");
    }

    private static List<string> Attempts(JsonElement funnel) => [.. funnel.EnumerateArray().Select(a =>
    {
        var times = a.GetProperty("times").EnumerateArray().Select(t => t.GetInt64()).ToList();
        a.GetProperty("steps").GetInt32().ShouldBe(times.Count);
        a.GetProperty("start").GetInt64().ShouldBe(times[0]);
        return string.Join(" ", times);
    })];

    /// <summary>A unique-visitor funnel takes each step the first time it follows the previous one; an attempt
    /// funnel starts again at every event of the first step, each step within the interval of the one before
    /// and within the duration of the first.</summary>
    private static List<string> ExpectedAttempts(List<ScenarioEvent> events, bool unique, long intervalMs = long.MaxValue, long durationMs = long.MaxValue)
    {
        Func<ScenarioEvent, bool>[] steps = [Reports, Export, Invited];
        var done = new List<List<long>>();
        List<long>? current = null;
        foreach (var e in events)
        {
            if (Reports(e) && (current is null || !unique))
            {
                if (current is not null) done.Add(current);
                current = [e.Time];
            }
            else if (current is { Count: < 3 } && steps[current.Count](e)
                && e.Time - current[^1] <= intervalMs && e.Time - current[0] <= durationMs)
                current.Add(e.Time);
        }
        if (current is not null) done.Add(current);
        return [.. done.Select(a => string.Join(" ", a))];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Paths_list_the_steps_after_and_before_the_first_anchor_in_either_time_order(bool reverseTime)
    {
        var rows = await RowsAsync("""
            [{"source":{"singleEvents":@SOURCE,"timeSeries":@TIMESERIES}},
             {"group":{"group":["visitorId"],"fields":{"after":{"path":@ANCHOR}},"before":{"path":@ANCHOR,"predecessors":true}}}}}]
            """.Replace("@SOURCE", reverseTime ? """{"reverseTime":true}""" : "null").Replace("@ANCHOR", """{"pageId":"@REPORTS","maxLength":3,"maxInterval":900"""));
        var visitors = Visitors();
        rows.Count.ShouldBe(visitors.Count);
        var anchored = 0;
        foreach (var row in rows)
        {
            var events = visitors[row.GetProperty("visitorId").GetString()!];
            var after = ExpectedPath(events, predecessors: false);
            Paths(row.GetProperty("after")).ShouldBe(after is null ? [] : [after]);
            var before = ExpectedPath(events, predecessors: true);
            Paths(row.GetProperty("before")).ShouldBe(before is null ? [] : [before]);
            if (after is { Length: > 0 } && before is { Length: > 0 }) anchored++;
        }
        anchored.ShouldBeGreaterThan(0);
    }

    private static List<string> Paths(JsonElement paths) => [.. paths.EnumerateArray().Select(path => string.Join(" | ", path.EnumerateArray().Select(step =>
    {
        var item = step.GetProperty("items").EnumerateArray().Single().EnumerateObject().Single();
        return $"{item.Name}:{item.Value.GetString()}";
    })))];

    /// <summary>Walks out from the visitor's first Reports load: at most 3 steps, a repeat of the step before
    /// (the anchor included) not counted again, stopping at a gap of more than 15 minutes.</summary>
    private string? ExpectedPath(List<ScenarioEvent> events, bool predecessors, long maxIntervalMs = 900_000, int maxLength = 3, Func<ScenarioEvent, bool>? isAnchor = null)
    {
        isAnchor ??= Reports;
        var steps = events.Select(e => (Event: e, Key: StepKey(e))).Where(s => s.Key is not null).ToList();
        var at = steps.FindIndex(s => isAnchor(s.Event));
        if (at < 0) return null;
        var (path, lastKey, lastTime) = (new List<string>(), steps[at].Key, steps[at].Event.Time);
        for (var i = predecessors ? at - 1 : at + 1; i >= 0 && i < steps.Count && path.Count < maxLength; i += predecessors ? -1 : 1)
        {
            if (Math.Abs(steps[i].Event.Time - lastTime) > maxIntervalMs) break;
            lastTime = steps[i].Event.Time;
            if (steps[i].Key == lastKey) continue;
            path.Add(steps[i].Key!);
            lastKey = steps[i].Key;
        }
        return string.Join(" | ", path);
    }

    private string? StepKey(ScenarioEvent e) => e.Type switch
    {
        "load" => Reports(e) ? $"pageId:{fx.ReportsPage}" : $"url:{e.Url}",
        "click" => Export(e) ? $"featureId:{fx.ExportFeature}" : null,
        "track" => $"trackTypeName:{e.TrackName}",
        _ => null,
    };

    [Fact]
    public async Task Pendos_path_report_aggregation_builds_the_tree_of_paths_leading_to_a_feature()
    {
        // The reference's real Path report aggregation, with this installation's application and feature.
        var rows = await RowsAsync("""
            [{"source":{"singleEvents":{"appId":@APP,"reverseTime":true,"eventClass":["ui","track"]},"timeSeries":@TIMESERIES}},
             {"identified":"visitorId"},
             {"group":{"group":["visitorId"],"fields":[{"path":{"path":{"featureId":"@EXPORT","collapseDups":true,"maxInterval":3600,"maxLength":10,"predecessors":true}}}]}},
             {"unwind":{"field":"path"}},
             {"fork":[[{"limit":10000}],
                      [{"eval":{"items":"map(x, path, x.items)"}},{"reduce":{"tree":{"treeify":{"threshold":0.0001,"keySort":true,"uniqueVisitors":false}}}}]]}]
            """);
        var expected = Visitors().Where(v => !v.Key.StartsWith("_PENDO_T_", StringComparison.Ordinal))
            .Select(v => ExpectedPath(v.Value, predecessors: true, maxIntervalMs: 3_600_000, maxLength: 10, isAnchor: Export))
            .OfType<string>().ToList();
        expected.Count.ShouldBeGreaterThan(1);
        var paths = rows.Where(r => r.TryGetProperty("visitorId", out _)).ToList();
        paths.Select(p => Paths(JsonSerializer.SerializeToElement(new[] { p.GetProperty("path") })).Single()).Order(StringComparer.Ordinal)
            .ShouldBe(expected.Order(StringComparer.Ordinal));

        var tree = rows.Single(r => r.TryGetProperty("tree", out _)).GetProperty("tree");
        tree.GetProperty("count").GetInt32().ShouldBe(expected.Count);
        var firstSteps = tree.GetProperty("children").EnumerateArray().ToDictionary(
            c => Paths(JsonSerializer.SerializeToElement(new[] { new[] { new { items = c.GetProperty("key") } } })).Single(), c => c.GetProperty("count").GetInt32());
        firstSteps.ShouldBe(expected.Where(p => p.Length > 0).GroupBy(p => p.Split(" | ")[0]).ToDictionary(g => g.Key, g => g.Count()), ignoreOrder: true);
        var keys = tree.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("key").ToString()).ToList();
        keys.Count.ShouldBe(firstSteps.Count);
    }

    [Fact]
    public async Task Single_events_read_by_a_group_give_the_same_answer_with_and_without_pushdown()
    {
        var pipeline = new object[]
        {
            new { source = new { singleEvents = (object?)null, timeSeries = new { period = "dayRange", first = From, count = 4 } } },
            new { filter = "type != \"focus\"" },
            new { eval = new { kind = "if(type == \"track\", trackTypeName, type)" } },
            new { group = new { group = new[] { "kind" }, fields = new { events = new { count = (string?)null }, visitors = new { count = "visitorId" } } } },
            new { sort = new[] { "kind" } },
        };
        var pushed = await fx.RowsAsync(pipeline);
        var raw = await fx.RowsAsync(pipeline, pushdown: false);
        pushed.Select(r => r.ToString()).ShouldBe(raw.Select(r => r.ToString()));
        var expected = Scenario.Events.Where(e => e.Time >= From && e.Time < To && e.Type != "focus")
            .GroupBy(e => e.Type == "track" ? e.TrackName! : e.Type).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Select(e => Scenario.Identified(e.VisitorId)).Distinct().Count())).ToList();
        pushed.Select(r => (r.GetProperty("kind").GetString()!, r.GetProperty("events").GetInt32(), r.GetProperty("visitors").GetInt32())).ShouldBe(expected);
    }

    [Theory]
    [InlineData("""{"group":{"group":["visitorId"],"fields":{"f":{"funnel":{"items":[]}}}}}""", "group.fields.f.funnel takes {\"items\"")]
    [InlineData("""{"group":{"group":["visitorId"],"fields":{"f":{"funnel":{"items":[{"guideId":"g"}]}}}}}""", "group.fields.f.funnel.items[0] names one page, feature or track type")]
    [InlineData("""{"group":{"group":["visitorId"],"fields":{"p":{"path":{"pageId":"x","maxLength":0}}}}}""", "maxLength is a whole number from 1 to 100")]
    [InlineData("""{"group":{"group":["visitorId"],"fields":{"p":{"path":{"pageId":"x","maxInterval":"1h"}}}}}""", "maxInterval is a number of seconds")]
    [InlineData("""{"group":{"group":["visitorId"],"fields":{"f":{"funnel":{"items":[{"pageId":"x"}],"maxDuration":9223372036854775807}}}}}""", "maxDuration is a number of seconds from 1 to")]
    [InlineData("""{"reduce":{"t":{"treeify":{"threshold":2}}}}""", "threshold is a share from 0 to 1")]
    public async Task Bad_journey_aggregators_are_explained(string stage, string expected)
    {
        var error = (await RowsAsync("""[{"source":{"singleEvents":null,"timeSeries":@TIMESERIES}},""" + stage + "]", HttpStatusCode.BadRequest)).Single();
        error.GetProperty("detail").GetString()!.ShouldContain("stage 1");
        error.GetProperty("detail").GetString()!.ShouldContain(expected);
    }

    [Fact]
    public async Task Journeys_refuse_rows_they_cannot_follow_and_objects_that_do_not_exist()
    {
        var reversed = (await RowsAsync("""[{"source":{"singleEvents":{"reverseTime":true},"timeSeries":@TIMESERIES}},{"group":{"group":["visitorId"],"fields":{"f":{"funnel":{"items":[{"pageId":"@REPORTS"},{"featureId":"@EXPORT"}]}}}}}]""",
            HttpStatusCode.BadRequest)).Single();
        reversed.GetProperty("detail").GetString()!.ShouldContain("funnel needs its rows oldest first");

        var shuffled = (await RowsAsync("""[{"source":{"singleEvents":null,"timeSeries":@TIMESERIES}},{"sort":["type"]},{"group":{"group":["visitorId"],"fields":{"p":{"path":{"pageId":"@REPORTS"}}}}}]""",
            HttpStatusCode.BadRequest)).Single();
        shuffled.GetProperty("detail").GetString()!.ShouldContain("path needs its rows in time order");

        var unknown = (await RowsAsync("""[{"source":{"singleEvents":null,"timeSeries":@TIMESERIES}},{"group":{"group":["visitorId"],"fields":{"p":{"path":{"featureId":"no-such-feature"}}}}}]""",
            HttpStatusCode.NotFound)).Single();
        unknown.GetProperty("detail").GetString()!.ShouldContain("no feature 'no-such-feature'");
    }
}

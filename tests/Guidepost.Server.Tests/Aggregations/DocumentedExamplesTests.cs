using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using NodaTime;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The example requests of aggregation-api.md, sent as written (bodies verbatim, with ids and dates
/// filled in), each returning the documented shape with values checked against the generated events.</summary>
[Collection(AggregationCollection.Name)]
public sealed class DocumentedExamplesTests(AggregationFixture fx)
{
    [Fact]
    public async Task The_canonical_visitors_request_lists_every_visitor_with_metadata()
    {
        var body = """{ "response": { "mimeType": "application/json" }, "request": { "name": "visitors source", "requestId": "visitor-list", "pipeline": [ { "source": { "visitors": null } } ] } }""";
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        var stored = Scenario.Events.Select(e => e.VisitorId).Distinct().Order(StringComparer.Ordinal).ToList();
        rows.Select(r => r.GetProperty("visitorId").GetString()).ShouldBe(stored);
        var first = rows.First(r => r.GetProperty("visitorId").GetString() == stored[0]);
        first.GetProperty("metadata").GetProperty("auto").GetProperty("firstvisit").GetInt64()
            .ShouldBe(Scenario.Events.Where(e => e.VisitorId == stored[0]).Min(e => e.Time));
        // metadata.auto.accountids: the accounts of the visitor's events and of the anonymous ids that became it.
        foreach (var row in rows)
        {
            var id = row.GetProperty("visitorId").GetString()!;
            var expected = Scenario.Events.Where(e => e.VisitorId == id || Scenario.Identified(e.VisitorId) == id)
                .Select(e => e.AccountId).Where(a => a.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
            var auto = row.GetProperty("metadata").GetProperty("auto");
            (auto.TryGetProperty("accountids", out var ids) ? ids.EnumerateArray().Select(a => a.GetString()!).ToList() : []).ShouldBe(expected, id);
        }
        var withAccount = rows.Select(r => r.GetProperty("metadata").GetProperty("auto")).Where(a => a.TryGetProperty("accountids", out _)).ToList();
        withAccount.Count.ShouldBeGreaterThan(rows.Count / 2, "most generated visitors belong to an account");
        withAccount.ShouldAllBe(a => a.GetProperty("accountid").GetString() == a.GetProperty("accountids")[0].GetString());
    }

    [Fact]
    public async Task The_legacy_array_form_and_the_ui_requests_form_answer_too()
    {
        var legacy = await fx.AggregateAsync("""{"request":[{"source":{"visitors":null}},{"count":null}]}""");
        var count = legacy.GetProperty("results")[0].GetProperty("count").GetInt32();
        count.ShouldBe(Scenario.Events.Select(e => e.VisitorId).Distinct().Count());

        var batch = await fx.AggregateAsync("""
            {"response":{"location":"request","mimeType":"application/json"},
             "requests":[{"name":"a","requestId":"a-1","pipeline":[{"source":{"visitors":null}},{"count":null}]},
                         {"name":"b","requestId":"b-1","pipeline":[{"source":{"accounts":null}},{"count":null}]}]}
            """);
        var responses = batch.GetProperty("responses").EnumerateArray().ToList();
        responses.Select(r => r.GetProperty("requestId").GetString()).ShouldBe(["a-1", "b-1"]);
        responses[0].GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(count);
        responses[1].GetProperty("results")[0].GetProperty("count").GetInt32()
            .ShouldBe(Scenario.Events.Select(e => e.AccountId).Where(a => a.Length > 0).Distinct().Count());
    }

    [Fact]
    public async Task The_four_official_time_series_forms_select_the_same_days()
    {
        // The reference's Sept 1–5 2023 examples, moved to five days of the scenario (New York time).
        var day1 = new LocalDate(2026, 10, 30);
        var first = LocalMidnight(day1);
        var lastInstant = LocalMidnight(day1.PlusDays(4)) + 12 * 3_600_000 + 44 * 60_000;
        string[] forms =
        [
            $$"""{"period":"dayRange","first":{{first}},"last":{{lastInstant}}}""",
            """{"period":"dayRange","first":"date(2026, 10, 30)","last":"date(2026, 11, 3, 12, 44, 35)"}""",
            $$"""{"period":"dayRange","first":{{first}},"count":5}""",
            $$"""{"period":"dayRange","first":"{{LocalMidnight(day1.PlusDays(5))}}","count":-5}""",
        ];
        var expected = Enumerable.Range(0, 5).Select(i => LocalMidnight(day1.PlusDays(i))).ToList();
        foreach (var form in forms)
        {
            var rows = (await fx.AggregateAsync($$$"""{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{{{form}}}}},{"group":{"group":["day"]}},{"sort":["day"]}]}}"""))
                .GetProperty("results").EnumerateArray().Select(r => r.GetProperty("day").GetInt64()).ToList();
            rows.ShouldBe(expected, form);
        }
    }

    [Fact]
    public async Task Active_visitors_per_hour_counts_distinct_visitors_each_hour()
    {
        var body = """
            {"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"hourRange","first":"date(2026, 11, 1)","count":24}}},
             {"group":{"group":["hour"],"fields":{"count":{"count":"visitorId"}}}},{"sort":["hour"]}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        var from = LocalMidnight(new LocalDate(2026, 11, 1));
        var expected = Scenario.Events.Where(e => e.Time >= from && e.Time < from + 24 * 3_600_000)
            .GroupBy(e => e.Time - e.Time % 3_600_000).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(e => Scenario.Identified(e.VisitorId)).Distinct().Count())).ToList();
        expected.Count.ShouldBeGreaterThan(5);
        rows.Select(r => (r.GetProperty("hour").GetInt64(), r.GetProperty("count").GetInt32())).ToList().ShouldBe(expected);
    }

    [Fact]
    public async Task Daily_totals_per_identified_visitor_and_account_follow_the_etl_example()
    {
        var body = """
            {"request":{"pipeline":[
              {"source":{"events":{"eventClass":["web","ios"]},"timeSeries":{"period":"dayRange","first":"date(2026, 11, 2)","count":1}}},
              {"identified":"visitorId"},
              {"select":{"numEvents":"numEvents","numMinutes":"numMinutes","accountId":"accountId","visitorId":"visitorId","day":"day"}},
              {"group":{"group":["visitorId","accountId","day"],"fields":{"totalTime":{"sum":"numMinutes"},"totalEvents":{"sum":"numEvents"}}}},
              {"sort":["accountId","totalTime"]}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        var from = LocalMidnight(new LocalDate(2026, 11, 2));
        var events = Scenario.Events.Where(e => e.Time >= from && e.Time < LocalMidnight(new LocalDate(2026, 11, 3))).ToList();
        var expected = events.Select(e => (Visitor: Scenario.Identified(e.VisitorId), e.AccountId, e))
            .Where(x => !x.Visitor.StartsWith("_PENDO_T_", StringComparison.Ordinal))
            .GroupBy(x => (x.Visitor, Account: x.AccountId.Length == 0 ? null : x.AccountId))
            .ToDictionary(g => g.Key, g => ((long)g.Count(), (long)g.Where(x => x.e.Type != "track").Select(x => x.e.Time / 60_000).Distinct().Count()));
        expected.Count.ShouldBeGreaterThan(3);
        rows.ToDictionary(r => (r.GetProperty("visitorId").GetString()!, r.GetProperty("accountId").ValueKind == JsonValueKind.Null ? null : r.GetProperty("accountId").GetString()),
            r => (r.GetProperty("totalEvents").GetInt64(), r.GetProperty("totalTime").GetInt64())).ShouldBe(expected, ignoreOrder: true);
        // Sorted by account, then time, as asked.
        rows.Select(r => (r.GetProperty("accountId").ToString(), r.GetProperty("totalTime").GetDouble())).ShouldBe(
            rows.Select(r => (r.GetProperty("accountId").ToString(), r.GetProperty("totalTime").GetDouble())).OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2));
    }

    [Fact]
    public async Task New_users_in_the_last_week_follow_the_etl_example()
    {
        // FixedTime is not used here: "now()" is the real clock, so the scenario (in 2026) is all "new" or none
        // depending on the date; the filter is checked against the same clock-free rule instead.
        var body = """
            {"request":{"pipeline":[{"source":{"visitors":null}},{"identified":"visitorId"},{"eval":{"visitorId":"hash(visitorId)"}},
              {"select":{"first":"metadata.auto.firstvisit","visitorId":"visitorId"}},{"filter":"first >= 1793000000000 - 7 * 1000 * 60 *60 * 24"}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        var threshold = 1_793_000_000_000L - 7L * 86_400_000;
        var expected = Scenario.Events.Where(e => !e.VisitorId.StartsWith("_PENDO_T_", StringComparison.Ordinal))
            .GroupBy(e => e.VisitorId).Where(g => g.Min(e => e.Time) >= threshold).Select(g => g.Key).ToList();
        rows.Count.ShouldBe(expected.Count);
        rows.ShouldAllBe(r => r.GetProperty("visitorId").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task Merge_adds_the_app_name_and_switch_fork_join_unwind_work_as_documented()
    {
        var body = """
            {"request":{"pipeline":[
              {"source":{"const":[{"appId":APP,"n":5},{"appId":APP,"n":15},{"appId":1,"n":25},{"appId":1}]}},
              {"merge":{"fields":["appId"],"mappings":{"appName":"name"},"pipeline":[{"source":{"apps":null}},{"eval":{"appId":"id"}}]}},
              {"switch":{"size":{"n":[{"value":"small","<":10},{"value":"medium",">=":10,"<":20}]}}},
              {"fork":[[{"reduce":{"total":{"sum":"n"}}}],[{"reduce":{"names":{"list":"appName"}}}]]},
              {"join":{"fields":[],"width":2}},
              {"unwind":{"field":"names","index":"i"}}]}}
            """.Replace("APP", fx.Gp.Target.ApplicationId.ToString());
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        // switch dropped n=25 (no case) and the row without n; both kept rows got the app's name.
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.GetProperty("total").GetInt32() == 20 && r.GetProperty("names").GetString() != null);
        rows.Select(r => r.GetProperty("i").GetInt32()).ShouldBe([0, 1]);
    }

    [Fact]
    public async Task Csv_answers_carry_a_header_and_one_line_per_row()
    {
        var response = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(
            """{"response":{"mimeType":"text/csv"},"request":{"pipeline":[{"source":{"const":[{"a":1,"b":"x,y"},{"a":2,"b":"q\"r"}]}}]}}""",
            System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await response.Content.ReadAsStringAsync()).ShouldBe("a,b\r\n1,\"x,y\"\r\n2,\"q\"\"r\"\r\n");
    }

    [Fact]
    public async Task A_daily_series_runs_the_pipeline_once_per_day()
    {
        var body = """{"request":{"pipeline":[{"source":{"events":null,"timeSeries":{"period":"daily","first":"date(2026, 10, 30)","count":3}}},{"count":null}]}}""";
        var sets = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        sets.Count.ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            var day = new LocalDate(2026, 10, 30).PlusDays(i);
            sets[i].GetProperty("startTime").GetInt64().ShouldBe(LocalMidnight(day));
            var expected = Scenario.Events.Where(e => e.Time >= LocalMidnight(day) && e.Time < LocalMidnight(day.PlusDays(1)))
                .Select(e => (Scenario.Identified(e.VisitorId), e.AccountId)).Distinct().Count();
            sets[i].GetProperty("results")[0].GetProperty("count").GetInt32().ShouldBe(expected);
        }
    }

    [Fact]
    public async Task Bulk_expand_and_expand_add_the_visitor_and_the_page()
    {
        var body = """
            {"request":{"pipeline":[{"source":{"pageEvents":{"pageId":"PAGE"},"timeSeries":{"period":"dayRange","first":"date(2026, 11, 2)","count":1}}},
              {"limit":1},{"bulkExpand":{"visitor":{"visitor":"visitorId"}}},{"expand":{"page":{"page":"pageId"}}}]}}
            """.Replace("PAGE", fx.ReportsPage);
        var row = (await fx.AggregateAsync(body)).GetProperty("results")[0];
        var visitor = row.GetProperty("visitorId").GetString()!;
        row.GetProperty("visitor").GetProperty("auto").GetProperty("lastvisit").GetInt64()
            .ShouldBe(Scenario.Events.Where(e => e.VisitorId == visitor).Max(e => e.Time));
        row.GetProperty("page").GetProperty("name").GetString().ShouldBe("Reports");
    }

    [Fact]
    public async Task Single_events_stream_every_event_of_the_range_past_the_first_buffer()
    {
        var body = """{"request":{"pipeline":[{"source":{"singleEvents":{"eventClass":["ui","track"]},"timeSeries":{"period":"dayRange","first":"date(2026, 10, 28)","count":9}}}]}}""";
        var response = await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        text.Length.ShouldBeGreaterThan(64 * 1024, "the answer should be larger than what is held back before streaming");
        var rows = JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().ToList();
        rows.Select(r => (r.GetProperty("type").GetString(), r.GetProperty("browserTime").GetInt64(), r.GetProperty("visitorId").GetString()))
            .ShouldBe(Scenario.Events.Select(e => ((string?)e.Type, e.Time, (string?)Scenario.Identified(e.VisitorId))), ignoreOrder: true);
    }

    [Fact]
    public async Task Useragent_replaces_the_text_with_its_parts()
    {
        var body = """
            {"request":{"pipeline":[{"source":{"const":[
              {"userAgent":"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36"},
              {"userAgent":null}]}},
              {"useragent":{"userAgent":"userAgent"}}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        var agent = rows[0].GetProperty("userAgent");
        (agent.GetProperty("name").GetString(), agent.GetProperty("version").GetString(), agent.GetProperty("os").GetString(), agent.GetProperty("device").GetString())
            .ShouldBe(("Chrome", "120", "Android", "mobile"));
        rows[1].GetProperty("userAgent").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}

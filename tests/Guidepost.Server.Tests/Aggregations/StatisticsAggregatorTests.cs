using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The optional statistics aggregators (<c>stddev</c>, <c>var</c>, <c>percentiles</c>, <c>listIf</c>)
/// against values worked out in the test: two-pass sample variance, and percentiles interpolated between the
/// closest ranks of the sorted values (PostgreSQL's <c>percentile_cont</c>).</summary>
[Collection(AggregationCollection.Name)]
public sealed class StatisticsAggregatorTests(AggregationFixture fx)
{
    private const double Tolerance = 1e-9;

    private static double SampleVariance(IReadOnlyList<double> values)
    {
        var mean = values.Sum() / values.Count;
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    [Fact]
    public async Task Spread_and_percentiles_of_each_visitors_event_count_match_the_generated_events()
    {
        var counts = Scenario.Events.GroupBy(e => Scenario.Identified(e.VisitorId)).Select(g => (double)g.Count()).Order().ToList();
        var body = new
        {
            request = new
            {
                pipeline = new object[]
                {
                    new { source = new { singleEvents = (object?)null, timeSeries = new { period = "dayRange", first = "date(2026, 10, 28)", count = 9 } } },
                    new { group = new { group = new[] { "visitorId" }, fields = new { events = new { count = (object?)null } } } },
                    new { reduce = new
                    {
                        spread = new { stddev = "events" },
                        variance = new { var = "events" },
                        shares = new { percentiles = new { field = "events", low = 10, middle = 50, high = 95, top = 100 } },
                        median = new { median = "events" },
                        busy = new { listIf = new { list = "visitorId", @if = $"events > {counts[counts.Count / 2]}" } },
                    } },
                },
            },
        };
        var row = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().Single();

        var variance = SampleVariance(counts);
        row.GetProperty("variance").GetDouble().ShouldBe(variance, Tolerance * variance);
        row.GetProperty("spread").GetDouble().ShouldBe(Math.Sqrt(variance), Tolerance * variance);
        // Closest ranks by hand: percent p of n sorted values sits at rank p/100·(n−1).
        double At(double percent)
        {
            var rank = percent / 100 * (counts.Count - 1);
            var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
            return counts[low] + (rank - low) * (counts[high] - counts[low]);
        }
        var shares = row.GetProperty("shares");
        shares.EnumerateObject().Select(p => p.Name).ShouldBe(["low", "middle", "high", "top"]);
        shares.GetProperty("low").GetDouble().ShouldBe(At(10), Tolerance);
        shares.GetProperty("middle").GetDouble().ShouldBe(At(50), Tolerance);
        shares.GetProperty("high").GetDouble().ShouldBe(At(95), Tolerance);
        shares.GetProperty("top").GetDouble().ShouldBe(counts[^1]);
        row.GetProperty("median").GetDouble().ShouldBe(At(50), Tolerance);
        row.GetProperty("busy").EnumerateArray().Select(v => v.GetString()).ShouldBe(
            Scenario.Events.GroupBy(e => Scenario.Identified(e.VisitorId)).Where(g => g.Count() > counts[counts.Count / 2]).Select(g => g.Key), ignoreOrder: true);
    }

    [Fact]
    public async Task Spread_and_percentiles_are_null_where_there_are_too_few_numbers_and_skip_what_is_not_a_number()
    {
        var body = """
            {"request":{"pipeline":[{"source":{"const":[
              {"g":"a","x":4},{"g":"a","x":"seven"},{"g":"a","x":null},
              {"g":"b","x":2},{"g":"b","x":4},{"g":"b","x":4},{"g":"b","x":5},{"g":"b","x":10},
              {"g":"c","x":"none"}]}},
              {"group":{"group":["g"],"fields":{"sd":{"stddev":"x"},"v":{"var":"x"},"p":{"percentiles":{"field":"x","q1":25,"q3":75}},"small":{"listIf":{"list":"x","if":"g == \"b\" && x < 5"}}}}},
              {"sort":["g"]}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("g").GetString()).ShouldBe(["a", "b", "c"]);
        // a: one number. b: 2, 4, 4, 5, 10 (mean 5, squares 9+1+1+0+25 = 36, over 4). c: none.
        rows[0].GetProperty("sd").ValueKind.ShouldBe(JsonValueKind.Null);
        rows[0].GetProperty("p").GetProperty("q1").GetDouble().ShouldBe(4);
        rows[1].GetProperty("v").GetDouble().ShouldBe(9, Tolerance);
        rows[1].GetProperty("sd").GetDouble().ShouldBe(3, Tolerance);
        rows[1].GetProperty("p").GetProperty("q1").GetDouble().ShouldBe(4); // rank 1
        rows[1].GetProperty("p").GetProperty("q3").GetDouble().ShouldBe(5); // rank 3
        rows[1].GetProperty("small").EnumerateArray().Select(v => v.GetDouble()).ShouldBe([2, 4, 4]);
        rows[2].GetProperty("v").ValueKind.ShouldBe(JsonValueKind.Null);
        rows[2].GetProperty("p").GetProperty("q3").ValueKind.ShouldBe(JsonValueKind.Null);
        rows[2].GetProperty("small").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Days_active_union_joins_each_groups_lists_in_order_once_each()
    {
        var body = """
            {"request":{"pipeline":[{"source":{"const":[
              {"v":"a","days":[300,100]},{"v":"a","days":[200,300]},{"v":"a","days":null},
              {"v":"b","days":[]},{"v":"c","days":["x",5]}]}},
              {"group":{"group":["v"],"fields":{"days":{"daysActiveUnion":"days"}}}},
              {"sort":["v"]}]}}
            """;
        var rows = (await fx.AggregateAsync(body)).GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("v").GetString(), string.Join(",", r.GetProperty("days").EnumerateArray().Select(d => d.GetDouble())))).ToList();
        rows.ShouldBe([("a", "100,200,300"), ("b", ""), ("c", "5")]);
    }

    [Theory]
    [InlineData("""{"percentiles":{"field":"x","p":150}}""", "from 0 to 100")]
    [InlineData("""{"percentiles":{"p":50}}""", "field")]
    [InlineData("""{"percentiles":{"field":"x"}}""", "at least one percent")]
    [InlineData("""{"listIf":{"list":"x"}}""", "listIf takes")]
    [InlineData("""{"stddev":{"field":"x"}}""", "expression string")]
    public async Task Malformed_statistics_are_a_400_naming_the_stage(string aggregator, string mentions)
    {
        var body = $$$"""{"request":{"pipeline":[{"source":{"const":[{"x":1}]}},{"reduce":{"out":{{{aggregator}}}}}]}}""";
        var detail = await (await fx.Gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        detail.ShouldContain("stage 1");
        detail.ShouldContain(mentions);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Server.Tests.Aggregations;
using Guidepost.Testing;

namespace Guidepost.Server.Tests;

/// <summary>Seeded random damage to valid requests — values swapped for junk, keys dropped or added, list
/// items removed or inserted — must always get a 2xx or a JSON 4xx that says what is wrong, never a 5xx.
/// Each case that once answered 500 is also written out in BadInputTests or ErrorsAndSessionsTests.</summary>
public sealed class FuzzTests
{
    private static readonly JsonNode?[] Junk =
    [
        null, true, 0, -1, 1e308, -1e308, 1.5, "", "x", "now()", "date(", "a +", "`", "9999999999999999999999999", "date(99999, 1, 1)",
        "dateAdd(now(), 1e300, \"days\")", "numEvents / 0", "visitorId", "-visitorId", "<script>", "//*", "[", new JsonArray(), new JsonObject(),
        new JsonArray((JsonNode?)null), new JsonObject { ["a"] = null }, new JsonArray(1, "a"), new string('9', 400), -9_223_372_036_854_775_808, 2_000_000_000,
    ];

    private static readonly string[] Keys = ["x", "limit", "group", "field", "timeSeries", "first", "count", "period", "appId", "kind", "offset", "name", "steps", "rules", "id"];

    private static JsonNode? Mutate(JsonNode? node, Random random)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0 && random.NextDouble() < 0.75:
                var key = o.ElementAt(random.Next(o.Count)).Key;
                var roll = random.NextDouble();
                if (roll < 0.2) o.Remove(key);
                else if (roll < 0.3) o[Keys[random.Next(Keys.Length)]] = JunkValue(random);
                else o[key] = Mutate(o[key]?.DeepClone(), random);
                return o;
            case JsonArray a when a.Count > 0 && random.NextDouble() < 0.75:
                var i = random.Next(a.Count);
                var choice = random.NextDouble();
                if (choice < 0.15) a.RemoveAt(i);
                else if (choice < 0.3) a.Insert(i, JunkValue(random));
                else a[i] = Mutate(a[i]?.DeepClone(), random);
                return a;
            default:
                return JunkValue(random);
        }
    }

    private static JsonNode? JunkValue(Random random) => Junk[random.Next(Junk.Length)]?.DeepClone();

    private static async Task ShouldNotFailAsync(HttpResponseMessage response, string request)
    {
        var status = (int)response.StatusCode;
        status.ShouldBeLessThan(500, request);
        if (status < 400) return;
        // Guidepost's {error, detail}, or where Pendo's API has its own shape (metadata fields' per-field outcomes), that.
        var text = await response.Content.ReadAsStringAsync();
        using var error = JsonDocument.Parse(text);
        var explained = error.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : error.RootElement.TryGetProperty("schema", out _) ? text : null;
        explained.ShouldNotBeNullOrWhiteSpace($"{request} → {status} {text}");
    }

    [Collection(AggregationCollection.Name)]
    public sealed class Aggregations(AggregationFixture fx)
    {
        private const string Day = """{"period":"dayRange","first":"date(2026, 10, 30)","count":2}""";

        private static readonly string[] Pipelines =
        [
            """[{"source":{"events":null,"timeSeries":"DAY"}},{"group":{"group":["day"],"fields":{"t":{"sum":"numEvents"},"v":{"count":"visitorId"}}}}]""",
            """[{"source":{"visitors":null}},{"sort":["visitorId"]},{"filter":"visitorId > \"a\""},{"limit":5}]""",
            """[{"source":{"timespan":{"kind":"visitor"}}},{"identified":"visitorId"},{"retention":{"timeSeries":{"period":"dayRange","first":"date(2026, 10, 29)","count":3},"offset":1,"relativePeriodsField":"p"}},{"unwind":{"field":"p"}}]""",
            """[{"source":{"const":[{"a":1,"b":"x","l":[1,2]},{"a":null}]}},{"eval":{"c":"a * 2","d":"split(b, \",\")"}},{"unwind":{"field":"l","index":"i"}},{"reduce":{"p":{"percentiles":{"field":"a","p5":5}},"s":{"stddev":"a"},"m":{"median":"c"}}}]""",
            """[{"source":{"accounts":null}},{"limit":2},{"bulkExpand":{"acc":{"account":"accountId"}}}]""",
            """[{"source":{"singleEvents":null,"timeSeries":"DAY"}},{"limit":20},{"useragent":{"u":"userAgent"}},{"switch":{"s":{"browserTime":[{"value":"x",">":0}]}}}]""",
            """[{"source":{"const":[{"x":1}]}},{"fork":[[{"cat":null}],[{"count":null}]]},{"join":{"fields":[],"width":2}}]""",
            """[{"spawn":[[{"source":{"apps":null}}],[{"source":{"const":[{"id":1}]}}]]},{"merge":{"fields":["id"],"mappings":{"n":"name"},"pipeline":[{"source":{"apps":null}}]}}]""",
            """[{"source":{"pageEvents":null,"timeSeries":"DAY"}},{"group":{"group":["pageId"],"fields":{"n":{"sum":"numMinutes"}}}},{"expand":{"page":{"page":"pageId"}}}]""",
            """[{"source":{"singleEvents":null,"timeSeries":"DAY"}},{"group":{"group":["visitorId"],"fields":{"f":{"funnel":{"items":[{"pageId":"x"},{"featureId":"y"}]}}}}}]""",
        ];

        [Fact]
        public async Task Damaged_pipelines_get_an_answer_or_a_json_4xx_never_a_5xx()
        {
            var random = new Random(20261126);
            var answered = 0;
            for (var n = 0; n < 400; n++)
            {
                var pipeline = JsonNode.Parse(Pipelines[random.Next(Pipelines.Length)].Replace("\"DAY\"", Day));
                for (var k = random.Next(1, 4); k > 0; k--) pipeline = Mutate(pipeline, random);
                var body = new JsonObject
                {
                    ["response"] = new JsonObject { ["mimeType"] = random.Next(4) == 0 ? "text/csv" : "application/json" },
                    ["request"] = new JsonObject { ["pipeline"] = pipeline },
                }.ToJsonString();
                var query = new[] { "", "?pushdown=false", "?details=true" }[random.Next(3)];
                using var response = await fx.Gp.Admin.PostAsync($"/api/v1/aggregation{query}", new StringContent(body, Encoding.UTF8, "application/json"));
                await ShouldNotFailAsync(response, $"{query} {body}");
                if (response.IsSuccessStatusCode) answered++;
            }
            answered.ShouldBeGreaterThan(10, "some damaged pipelines should still run, or the damage is too coarse to reach the stages");
        }
    }

    [Fact]
    public async Task Damaged_writes_get_an_answer_or_a_json_4xx_never_a_5xx()
    {
        await using var gp = await TestInstallation.StartAsync();
        var lightbox = JsonSerializer.Serialize(GuideFixtures.Lightbox("s1"));
        (string Method, string Path, string Body)[] seeds =
        [
            ("POST", "/api/v1/guide", $$"""{"name":"G","steps":[{"id":"s1","domJson":{{lightbox}}}],"priority":5,"showsAfter":1}"""),
            ("POST", "/api/v1/page", """{"name":"P","rules":["//*/reports/*"],"isCoreEvent":true}"""),
            ("POST", "/api/v1/feature", """{"name":"F","elementPathRules":["button#export"]}"""),
            ("POST", "/api/v1/tracktype", """{"name":"T","trackTypeName":"Exported"}"""),
            ("POST", "/api/v1/segment", """{"name":"S","rules":{"field":"custom.plan","value":"pro"}}"""),
            ("POST", "/api/v1/report", """{"name":"R","definition":{"level":"account","from":"2026-01-01","to":"2026-01-31","columns":["numVisitors","daysActive"],"sort":"id"}}"""),
            ("POST", "/api/v1/metadata/schema/visitor/custom", """[{"name":"plan","type":"string"}]"""),
            ("POST", "/api/analytics/funnel", """{"from":"2026-01-01","to":"2026-01-31","steps":[{"type":"page","id":"x"},{"type":"feature","id":"y"}],"mode":"attempts","timeoutMinutes":5}"""),
            ("POST", "/api/analytics/lists", """{"level":"visitor","from":"2026-01-01","to":"2026-01-31","columns":["numEvents"],"sort":"-numEvents","limit":5}"""),
        ];
        var random = new Random(20261127);
        for (var n = 0; n < 300; n++)
        {
            var (method, path, seed) = seeds[random.Next(seeds.Length)];
            var body = JsonNode.Parse(seed);
            for (var k = random.Next(0, 4); k > 0; k--) body = Mutate(body, random);
            var text = body?.ToJsonString() ?? "null";
            using var response = await gp.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(text, Encoding.UTF8, "application/json") });
            await ShouldNotFailAsync(response, $"{method} {path} {text}");
        }
    }
}

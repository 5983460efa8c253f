using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using NodaTime;
using static Guidepost.Server.Tests.Aggregations.AggregationFixture;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>The <c>pages</c>, <c>features</c>, <c>matchRules</c>, <c>compute</c>, <c>itemSeen</c> and <c>expandList</c>
/// operators, checked against what the generated events are (the section of each URL, the button of each click)
/// and against objects made for the test.</summary>
[Collection(AggregationCollection.Name)]
public sealed class RuleStagesTests(AggregationFixture fx)
{
    private static readonly long From = LocalMidnight(new LocalDate(2026, 10, 30));
    private static readonly long To = LocalMidnight(new LocalDate(2026, 11, 1));

    private static object Source() => new { source = new { singleEvents = (object?)null, timeSeries = new { period = "dayRange", first = From, count = 2 } } };

    private static IEnumerable<Testing.Analytics.ScenarioEvent> Window() => Scenario.Events.Where(e => e.Time >= From && e.Time < To);

    [Fact]
    public async Task Pages_and_features_name_the_tagged_objects_an_event_matches()
    {
        var rows = await fx.RowsAsync(
        [
            Source(),
            new { pages = new { pageIds = "url" } },
            new { features = new { featureIds = "elementPath" } },
            new { filter = "type == \"load\" || type == \"click\"" },
            new { eval = new { page = "if(len(pageIds) > 0, pageIds[0], \"\")", feature = "if(len(featureIds) > 0, featureIds[0], \"\")", tags = "len(pageIds) + len(featureIds)" } },
            new { group = new { group = new[] { "type", "page", "feature", "tags" }, fields = new { events = new { count = (string?)null } } } },
        ]);
        var expected = Window().Where(e => e.Type is "load" or "click")
            .GroupBy(e => (e.Type, Page: e.Section == "reports" ? fx.ReportsPage : "", Feature: e.Type == "click" && e.Button == "export" ? fx.ExportFeature : ""))
            .ToDictionary(g => $"{g.Key.Type} {g.Key.Page} {g.Key.Feature} {(g.Key.Page.Length > 0 ? 1 : 0) + (g.Key.Feature.Length > 0 ? 1 : 0)}", g => g.Count());
        rows.ToDictionary(r => $"{r.GetProperty("type").GetString()} {r.GetProperty("page").GetString()} {r.GetProperty("feature").GetString()} {r.GetProperty("tags").GetInt32()}",
            r => r.GetProperty("events").GetInt32()).ShouldBe(expected, ignoreOrder: true);
        expected.Keys.ShouldContain($"click {fx.ReportsPage} {fx.ExportFeature} 2");
    }

    [Fact]
    public async Task Match_rules_filter_by_page_rules_and_mark_feature_rules()
    {
        var settings = await fx.RowsAsync(
        [
            Source(), new { filter = "type == \"load\"" },
            new { matchRules = new { entity = "Page", rules = new[] { "//*/settings/*", "//*/billing/*" }, rulesType = "web", filter = true } },
            new { count = (object?)null },
        ]);
        settings.Single().GetProperty("count").GetInt32().ShouldBe(Window().Count(e => e.Type == "load" && e.Section is "settings" or "billing"));

        var clicks = await fx.RowsAsync(
        [
            Source(), new { filter = "type == \"click\"" },
            new { matchRules = new { entity = "Feature", field = "isExport", rules = new[] { "button#export" } } },
            new { group = new { group = new[] { "isExport" }, fields = new { events = new { count = (string?)null } } } },
        ]);
        clicks.ToDictionary(r => r.GetProperty("isExport").GetBoolean(), r => r.GetProperty("events").GetInt32())
            .ShouldBe(Window().Where(e => e.Type == "click").GroupBy(e => e.Button == "export").ToDictionary(g => g.Key, g => g.Count()), ignoreOrder: true);
    }

    [Fact]
    public async Task Compute_gives_the_time_between_funnel_steps()
    {
        var rows = await fx.RowsAsync(
        [
            Source(),
            new { group = new { group = new[] { "visitorId" }, fields = new { funnel = new { funnel = new { items = new object[] { new { pageId = fx.ReportsPage }, new { featureId = fx.ExportFeature } } } } } } },
            new { unwind = new { field = "funnel" } },
            new { compute = new { gaps = new { diff = "funnel.times" } } },
        ]);
        rows.ShouldNotBeEmpty();
        foreach (var row in rows)
        {
            var times = row.GetProperty("funnel").GetProperty("times").EnumerateArray().Select(t => t.GetInt64()).ToList();
            row.GetProperty("gaps").EnumerateArray().Select(g => g.GetInt64()).ShouldBe(times.Zip(times.Skip(1), (a, b) => b - a));
        }
        rows.ShouldContain(r => r.GetProperty("gaps").GetArrayLength() == 1);
    }

    [Theory]
    [InlineData("page")]
    [InlineData("feature")]
    [InlineData("trackType")]
    public async Task Item_seen_gives_each_visitors_all_time_use_and_its_exact_last_time(string kind)
    {
        Func<Testing.Analytics.ScenarioEvent, bool> used = kind switch
        {
            "page" => e => e.Type == "load" && e.Section == "reports",
            "feature" => e => e.Type == "click" && e.Button == "export",
            _ => e => e.Type == "track" && e.TrackName == "Invited",
        };
        var id = kind switch { "page" => fx.ReportsPage, "feature" => fx.ExportFeature, _ => fx.InvitedTrackType };
        var rows = await fx.RowsAsync(
        [
            new { source = new { visitors = (object?)null } },
            new Dictionary<string, object> { ["itemSeen"] = new Dictionary<string, object> { ["usage"] = new Dictionary<string, string> { [$"{kind}Id"] = id } } },
        ]);
        var expected = Scenario.Events.Where(used).GroupBy(e => Scenario.Identified(e.VisitorId))
            .ToDictionary(g => g.Key, g => (Count: g.Count(), LastUsed: g.Max(e => e.Time)));
        expected.ShouldNotBeEmpty();
        foreach (var row in rows)
        {
            var visitor = row.GetProperty("visitorId").GetString()!;
            var usage = row.GetProperty("usage");
            if (!expected.TryGetValue(visitor, out var use)) usage.ValueKind.ShouldBe(JsonValueKind.Null, visitor);
            else (usage.GetProperty("count").GetInt32(), usage.GetProperty("lastUsed").GetInt64()).ShouldBe(use, visitor);
        }
        rows.Count(r => r.GetProperty("usage").ValueKind != JsonValueKind.Null).ShouldBe(expected.Count);
    }

    [Fact]
    public async Task Expand_list_looks_up_product_areas_and_applications_by_id()
    {
        await using var gp = await TestInstallation.StartAsync();
        async Task<string> AreaAsync(string name) =>
            (await (await gp.Admin.PostJsonAsync("/api/v1/group", new { name, color = "#123456" })).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var (billing, reports) = (await AreaAsync("Billing"), await AreaAsync("Reports"));
        var app = gp.Target.ApplicationId;
        var response = await gp.Admin.PostAsync("/api/v1/aggregation", new StringContent(JsonSerializer.Serialize(new
        {
            request = new
            {
                pipeline = new object[]
                {
                    new { source = new { @const = new object[] { new { areas = new[] { reports, "no-such-area", billing }, apps = new[] { app, 42L } }, new { areas = Array.Empty<string>(), apps = new[] { app } } } } },
                    new { expandList = new { inputField = "areas", outputField = "productAreas", typeName = "productArea" } },
                    new { expandList = new { inputField = "apps", outputField = "applications", typeName = "app" } },
                },
            },
        }), System.Text.Encoding.UTF8, "application/json"));
        var rows = (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results").EnumerateArray().ToList();
        rows[0].GetProperty("productAreas").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("name").GetString())).ShouldBe([(reports, "Reports"), (billing, "Billing")]);
        rows[0].GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ShouldBe([app]);
        rows[1].GetProperty("productAreas").GetArrayLength().ShouldBe(0);
        rows[1].GetProperty("applications")[0].GetProperty("platform").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("""{"expandList":{"inputField":"a","outputField":"b","typeName":"label"}}""", "expandList.typeName \"label\" is not supported")]
    [InlineData("""{"itemSeen":{"usage":{"guideId":"g"}}}""", "itemSeen.usage names one page, feature or track type")]
    [InlineData("""{"pages":{"a":"url","b":"url"}}""", "pages takes one output field")]
    [InlineData("""{"matchRules":{"entity":"Page","field":"m","rules":["reports/*"]}}""", "matchRules.rules: 'reports/*'")]
    [InlineData("""{"matchRules":{"entity":"Guide","field":"m","rules":["x"]}}""", "matchRules.entity is \"Page\" or \"Feature\"")]
    [InlineData("""{"compute":{"gaps":{"sum":"times"}}}""", "compute.gaps takes {\"diff\"")]
    [InlineData("""{"compute":5}""", "compute takes {\"out\"")]
    [InlineData("""{"matchRules":{"entity":"Page","field":"m","rules":["//*/x"],"rulesType":5}}""", "matchRules.rulesType 5 is not supported")]
    [InlineData("""{"eval":{"t":"split(\"a,b\", \",\")"}},{"compute":{"g":{"diff":"t"}}}""", "compute diff needs a list of numbers")]
    public async Task Bad_rule_stages_are_explained(string stages, string expected)
    {
        var body = """{"request":{"pipeline":[{"source":{"singleEvents":null,"timeSeries":{"period":"dayRange","first":""" + From + ""","count":1}}},""" + stages + "]}}";
        var error = await fx.AggregateAsync(body, HttpStatusCode.BadRequest);
        error.GetProperty("detail").GetString()!.ShouldContain(expected);
    }
}

using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Guidepost.Testing.Analytics;
using NodaTime;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>One installation shared by the read-only aggregation tests: the generated activity around the end
/// of US daylight saving time (late deliveries included) in America/New_York, with a page, a feature and a
/// track type tagged after the fact.</summary>
public sealed class AggregationFixture : IAsyncLifetime
{
    public static readonly long Start = Instant.FromUtc(2026, 10, 29, 0, 0).ToUnixTimeMilliseconds();
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/New_York"];
    public static readonly ActivityScenario Scenario = ActivityScenario.Generate(seed: 11, Start, days: 6);

    public TestInstallation Gp { get; private set; } = null!;
    public string ReportsPage { get; private set; } = null!;
    public string ExportFeature { get; private set; } = null!;
    public string InvitedTrackType { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gp = await TestInstallation.StartAsync();
        (await Gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{Gp.Target.SubscriptionId}", new { timeZone = Zone.Id })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var beacon = Gp.App.CreateClient();
        foreach (var payload in Scenario.OnTimeDeliveries.Concat(Scenario.LateDeliveries))
        {
            var jzb = AgentPayloads.Jzb(ActivityScenario.AgentEvents(payload));
            var track = payload.All(e => e.Type == "track") ? "&type=track" : "";
            (await beacon.GetAsync($"/data/ptm.gif/{Gp.Target.ApiKey}?v=2.291.4_prod&ct={payload[^1].Time}&jzb={jzb}{track}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        ReportsPage = await CreateAsync("/api/v1/page", new { name = "Reports", rules = new[] { "//*/reports/*" } });
        ExportFeature = await CreateAsync("/api/v1/feature", new { name = "Export", elementPathRules = new[] { "div.toolbar > button#export" } });
        InvitedTrackType = await CreateAsync("/api/v1/tracktype", new { name = "Invited", trackTypeName = "Invited" });
    }

    public async Task DisposeAsync() => await Gp.DisposeAsync();

    private async Task<string> CreateAsync(string path, object body) =>
        (await (await Gp.Admin.PostJsonAsync(path, body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>Posts a request body and returns the parsed answer, asserting the status.</summary>
    public async Task<JsonElement> AggregateAsync(object body, HttpStatusCode status = HttpStatusCode.OK, bool pushdown = true, HttpClient? client = null)
    {
        var response = await (client ?? Gp.Admin).PostAsync($"/api/v1/aggregation{(pushdown ? "" : "?pushdown=false")}",
            new StringContent(body as string ?? JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));
        return await response.ShouldBeJsonAsync(status);
    }

    /// <summary>The rows of a pipeline run as the canonical request.</summary>
    public async Task<List<JsonElement>> RowsAsync(object[] pipeline, bool pushdown = true) =>
        [.. (await AggregateAsync(new { response = new { mimeType = "application/json" }, request = new { pipeline } }, pushdown: pushdown))
            .GetProperty("results").EnumerateArray()];

    public static long LocalMidnight(LocalDate day) => Zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds();
}

[CollectionDefinition(Name)]
public sealed class AggregationCollection : ICollectionFixture<AggregationFixture>
{
    public const string Name = "aggregations";
}

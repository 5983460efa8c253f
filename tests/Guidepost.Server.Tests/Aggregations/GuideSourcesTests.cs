using System.Net;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Server.Tests.Aggregations;

/// <summary>Guide and poll sources over events sent as the Pendo agent sends them (<c>guide.gif</c>,
/// <c>poll.gif</c>), against a hand-written history.</summary>
public sealed class GuideSourcesTests : IAsyncLifetime
{
    private const long T0 = 1_790_000_000_000; // 2026-09-21 14:13:20 UTC
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private static object GuideEvent(string type, string visitor, long time, int sequence, string guide, string step, object? extra = null)
    {
        var props = new Dictionary<string, object?> { ["guide_id"] = guide, ["guide_step_id"] = step };
        foreach (var property in JsonSerializer.SerializeToElement(extra ?? new { }).EnumerateObject()) props[property.Name] = property.Value;
        return new Dictionary<string, object?>
        {
            ["type"] = type, ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = "account-1", ["url"] = "https://app.example/home",
            ["props"] = props, ["tabId"] = "TabTabTabTabTab1", ["frameId"] = "FrameFrameFrame1", ["sessionId"] = "SessionSession01", ["sequence"] = sequence,
        };
    }

    private async Task SendAsync(string beacon, params object[] events) =>
        (await _gp.App.CreateClient().GetAsync($"/data/{beacon}.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&ct={T0 + 1_000_000}&jzb={AgentPayloads.Jzb(events)}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

    private async Task<List<JsonElement>> RowsAsync(string pipeline)
    {
        var response = await _gp.Admin.PostAsync("/api/v1/aggregation", new StringContent("{\"request\":{\"pipeline\":" + pipeline + "}}", System.Text.Encoding.UTF8, "application/json"));
        return [.. (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("results").EnumerateArray()];
    }

    [Fact]
    public async Task Guides_seen_and_polls_answered_follow_each_visitors_events()
    {
        const long Minute = 60_000;
        await SendAsync("guide",
            GuideEvent("guideSeen", "v1", T0, 1, "g1", "s1", new { reason = "auto" }),
            GuideEvent("guideSeen", "v1", T0 + Minute, 2, "g1", "s1", new { reason = "continue" }),
            GuideEvent("guideDismissed", "v1", T0 + 2 * Minute, 3, "g1", "s1", new { seen_reason = "auto" }),
            GuideEvent("guideSeen", "v2", T0 + 3 * Minute, 4, "g1", "s1", new { reason = "auto" }),
            GuideEvent("guideAdvanced", "v2", T0 + 4 * Minute, 5, "g1", "s1", new { seen_reason = "auto", destination_step_id = "s2" }),
            GuideEvent("guideSeen", "v2", T0 + 120 * Minute, 6, "g1", "s2", new { reason = "continue" }),
            GuideEvent("guideSeen", "v2", T0 + 6 * Minute, 7, "g2", "x1", new { reason = "badge" }));
        await SendAsync("poll",
            GuideEvent("pollResponse", "v1", T0 + 7 * Minute, 8, "g3", "p-step", new { poll_id = "nps", poll_response = 9, poll_type = "NPSRating" }),
            GuideEvent("pollResponse", "v1", T0 + 8 * Minute, 9, "g3", "p-step", new { poll_id = "nps", poll_response = 6, poll_type = "NPSRating" }),
            GuideEvent("pollResponse", "v2", T0 + 9 * Minute, 10, "g3", "p-step", new { poll_id = "nps", poll_response = 10, poll_type = "NPSRating" }));

        var seen = await RowsAsync("""[{"source":{"guidesSeenEver":{"guideId":"g1"}}},{"sort":["visitorId","guideStepId"]}]""");
        seen.Select(r => (r.GetProperty("visitorId").GetString(), r.GetProperty("guideStepId").GetString(), r.GetProperty("seenCount").GetInt32(),
                r.GetProperty("firstSeenAt").GetInt64(), r.GetProperty("lastSeenAt").GetInt64(), r.GetProperty("lastState").GetString()))
            .ShouldBe([("v1", "s1", 2, T0, T0 + Minute, "dismissed"), ("v2", "s1", 1, T0 + 3 * Minute, T0 + 3 * Minute, "advanced"),
                ("v2", "s2", 1, T0 + 120 * Minute, T0 + 120 * Minute, "active")]);
        seen[0].GetProperty("lastDismissedAutoAt").GetInt64().ShouldBe(T0 + 2 * Minute);
        seen[1].GetProperty("lastAdvancedAutoAt").GetInt64().ShouldBe(T0 + 4 * Minute);

        // In a range: the rows whose last view falls in it. The hour of T0 holds both first steps, the hour two
        // later only v2's second step (UTC, the subscription's zone here).
        async Task<List<(string, string)>> InHourOf(long at) =>
            [.. (await RowsAsync("""[{"source":{"guidesSeen":{"guideId":"g1"},"timeSeries":{"period":"hourRange","first":FIRST,"count":1}}}]""".Replace("FIRST", at.ToString())))
                .Select(r => (r.GetProperty("visitorId").GetString()!, r.GetProperty("guideStepId").GetString()!))];
        (await InHourOf(T0)).ShouldBe([("v1", "s1"), ("v2", "s1")], ignoreOrder: true);
        (await InHourOf(T0 + 120 * Minute)).ShouldBe([("v2", "s2")]);

        var answers = await RowsAsync("""[{"source":{"pollsSeenEver":{"guideId":"g3","pollId":"nps"}}},{"sort":["visitorId"]}]""");
        answers.Select(r => (r.GetProperty("visitorId").GetString(), r.GetProperty("response").GetInt32(), r.GetProperty("pollResponse").GetInt32(), r.GetProperty("time").GetInt64()))
            .ShouldBe([("v1", 6, 6, T0 + 8 * Minute), ("v2", 10, 10, T0 + 9 * Minute)]);

        // Pendo's NPS pattern: promoters minus detractors over the answers.
        var nps = await RowsAsync("""
            [{"source":{"pollsSeenEver":{"guideId":"g3","pollId":"nps"}}},
             {"reduce":{"promoters":{"countIf":{"count":"visitorId","if":"response >= 9"}},"detractors":{"countIf":{"count":"visitorId","if":"response <= 6"}},"n":{"count":null}}}]
            """);
        (nps[0].GetProperty("promoters").GetInt32(), nps[0].GetProperty("detractors").GetInt32(), nps[0].GetProperty("n").GetInt32()).ShouldBe((1, 1, 2));
    }
}

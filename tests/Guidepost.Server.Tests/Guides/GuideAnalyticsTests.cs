using System.Net;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Server.Tests.Guides;

/// <summary>Guide metrics, poll results, NPS and the policy-acceptance report against a plain count over the guide
/// and poll events a seeded generator sent through the agent's beacons.</summary>
public sealed class GuideAnalyticsTests : IAsyncLifetime
{
    private const long Day = 86_400_000;
    // 2026-10-05 00:00 UTC; the default subscription counts days in UTC.
    private const long Start = 1_791_158_400_000;
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private sealed record Sent(string Type, string Visitor, string Step, long Time, long? Duration = null, string? PollId = null, object? Response = null);

    private async Task<string> PublishAsync(object guide)
    {
        var id = (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", guide)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "public" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    /// <summary>The guide's polls as the agent receives them: id → type.</summary>
    private async Task<Dictionary<string, string>> PollsAsync(string guideId)
    {
        var jzb = AgentPayloads.JzbObject(new { visitorId = "reader", url = "https://app.example/" });
        var payload = await (await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?jzb={jzb}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var guide = payload.GetProperty("guides").EnumerateArray().Single(g => g.GetProperty("id").GetString() == guideId);
        return guide.GetProperty("polls").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("attributes").GetProperty("type").GetString()!);
    }

    private async Task SendAsync(string guideId, IEnumerable<Sent> events)
    {
        var sequence = 0;
        foreach (var chunk in events.Chunk(50))
        {
            var guideEvents = chunk.Where(e => e.Type != "pollResponse").Select(e => AgentPayloads.GuideEvent(e.Type, e.Visitor, guideId, e.Step, e.Time, ++sequence,
                e.Duration is { } d ? new { duration = d, seen_reason = "auto" } : new { duration = 0L, seen_reason = "auto" })).ToArray();
            var polls = chunk.Where(e => e.Type == "pollResponse").Select(e => AgentPayloads.GuideEvent("pollResponse", e.Visitor, guideId, e.Step, e.Time, ++sequence,
                new { poll_id = e.PollId, poll_response = e.Response, duration = 10 })).ToArray();
            var client = _gp.App.CreateClient();
            if (guideEvents.Length > 0) (await client.GetAsync($"/data/guide.gif/{_gp.Target.ApiKey}?jzb={AgentPayloads.Jzb(guideEvents)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            if (polls.Length > 0) (await client.GetAsync($"/data/poll.gif/{_gp.Target.ApiKey}?jzb={AgentPayloads.Jzb(polls)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Step_metrics_count_what_visitors_did()
    {
        var steps = new[] { "intro", "middle", "last" };
        var guideId = await PublishAsync(new
        {
            name = "Tour",
            steps = steps.Select(id => new { id, placement = "lightbox", blocks = new object[] { new { text = id }, new { button = "Next", action = "next" } } }),
        });
        var random = new Random(7);
        var sent = new List<Sent>();
        for (var v = 0; v < 60; v++)
        {
            var visitor = $"visitor-{v}";
            var t = Start + random.NextInt64(0, 9 * Day); // some fall after the range's 7 days
            foreach (var step in steps)
            {
                sent.Add(new Sent("guideSeen", visitor, step, t += 1000));
                if (random.Next(4) == 0) sent.Add(new Sent("guideActivity", visitor, step, t += 100));
                var roll = random.Next(10);
                var duration = random.NextInt64(500, 60_000);
                if (roll < 2) { sent.Add(new Sent("guideDismissed", visitor, step, t += duration, duration)); break; }
                if (roll < 3) { sent.Add(new Sent("guideSnoozed", visitor, step, t += duration, duration)); break; }
                sent.Add(new Sent("guideAdvanced", visitor, step, t += duration, duration));
            }
        }
        await SendAsync(guideId, sent);

        var summary = await (await _gp.Admin.GetAsync($"/api/analytics/guides/{guideId}?from=2026-10-05&to=2026-10-11")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var inRange = sent.Where(e => e.Time >= Start && e.Time < Start + 7 * Day).ToList();
        long Visitors(Func<Sent, bool> match) => inRange.Where(match).Select(e => e.Visitor).Distinct().Count();
        summary.GetProperty("visitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideSeen"));
        summary.GetProperty("views").GetInt64().ShouldBe(inRange.Count(e => e.Type == "guideSeen"));
        summary.GetProperty("completedVisitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideAdvanced" && e.Step == "last"));
        summary.GetProperty("dismissedVisitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideDismissed"));
        var perVisitor = inRange.Where(e => e.Duration is not null && e.Type is "guideAdvanced" or "guideDismissed")
            .GroupBy(e => e.Visitor).Select(g => (double)g.Sum(e => e.Duration!.Value)).Order().ToList();
        summary.GetProperty("medianSecondsPerVisitor").GetDouble().ShouldBe(Median(perVisitor) / 1000, 1e-9);
        var stepRows = summary.GetProperty("steps").EnumerateArray().ToList();
        stepRows.Select(s => s.GetProperty("stepId").GetString()).ShouldBe(steps);
        foreach (var (row, step) in stepRows.Zip(steps))
        {
            row.GetProperty("views").GetInt64().ShouldBe(inRange.Count(e => e.Type == "guideSeen" && e.Step == step));
            row.GetProperty("visitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideSeen" && e.Step == step));
            row.GetProperty("advancedVisitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideAdvanced" && e.Step == step));
            row.GetProperty("dismissedVisitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideDismissed" && e.Step == step));
            row.GetProperty("snoozedVisitors").GetInt64().ShouldBe(Visitors(e => e.Type == "guideSnoozed" && e.Step == step));
            row.GetProperty("clicks").GetInt64().ShouldBe(inRange.Count(e => e.Type == "guideActivity" && e.Step == step));
            var durations = inRange.Where(e => e.Step == step && e.Duration is not null && e.Type is "guideAdvanced" or "guideDismissed").Select(e => (double)e.Duration!.Value).Order().ToList();
            row.GetProperty("medianSeconds").GetDouble().ShouldBe(Median(durations) / 1000, 1e-9);
        }
    }

    [Fact]
    public async Task Poll_answers_and_nps_per_day_count_every_response()
    {
        var guideId = await PublishAsync(new
        {
            name = "Survey", kind = "nps",
            steps = new object[]
            {
                new { id = "score", placement = "lightbox", blocks = new object[] { new { poll = new { type = "nps", question = "How likely?" } }, new { button = "Next", action = "next" } } },
                new { id = "plan", placement = "lightbox", blocks = new object[] { new { poll = new { type = "singleChoice", question = "Plan?", options = new[] { "Free", "Pro", "Team" } } }, new { button = "Done", action = "next" } } },
            },
        });
        var polls = await PollsAsync(guideId);
        var nps = polls.Single(p => p.Value == "NPSRating").Key;
        var choice = polls.Single(p => p.Value != "NPSRating").Key;
        var random = new Random(11);
        var sent = new List<Sent>();
        for (var v = 0; v < 80; v++)
        {
            var t = Start + random.NextInt64(0, 5 * Day);
            for (var answer = 0; answer < 1 + random.Next(2); answer++) // some visitors answer twice; their latest answer counts once per visitor
            {
                sent.Add(new Sent("pollResponse", $"visitor-{v}", "score", t += 60_000, PollId: nps, Response: random.Next(0, 11)));
                sent.Add(new Sent("pollResponse", $"visitor-{v}", "plan", t += 60_000, PollId: choice, Response: new[] { "Free", "Pro", "Team" }[random.Next(3)]));
            }
        }
        await SendAsync(guideId, sent);

        var results = await (await _gp.Admin.GetAsync($"/api/analytics/guides/{guideId}/polls?from=2026-10-05&to=2026-10-11")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var choiceRow = results.EnumerateArray().Single(r => r.GetProperty("pollId").GetString() == choice);
        choiceRow.GetProperty("responses").GetInt64().ShouldBe(sent.Count(e => e.PollId == choice));
        choiceRow.GetProperty("respondents").GetInt64().ShouldBe(sent.Where(e => e.PollId == choice).Select(e => e.Visitor).Distinct().Count());
        var latest = sent.Where(e => e.PollId == choice).GroupBy(e => e.Visitor).Select(g => (string)g.MaxBy(e => e.Time)!.Response!)
            .GroupBy(r => r).ToDictionary(g => g.Key, g => (long)g.Count());
        choiceRow.GetProperty("answers").EnumerateArray().ToDictionary(a => a.GetProperty("response").GetString()!, a => a.GetProperty("visitors").GetInt64())
            .ShouldBe(latest, ignoreOrder: true);

        var score = await (await _gp.Admin.GetAsync($"/api/analytics/guides/{guideId}/nps?from=2026-10-05&to=2026-10-11&period=daily")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var answers = sent.Where(e => e.PollId == nps).ToList();
        (long P, long Pa, long D) Split(IEnumerable<Sent> group) =>
            (group.Count(e => (int)e.Response! >= 9), group.Count(e => (int)e.Response! is 7 or 8), group.Count(e => (int)e.Response! <= 6));
        var (promoters, passives, detractors) = Split(answers);
        var total = score.GetProperty("total");
        (total.GetProperty("promoters").GetInt64(), total.GetProperty("passives").GetInt64(), total.GetProperty("detractors").GetInt64())
            .ShouldBe((promoters, passives, detractors));
        total.GetProperty("score").GetDouble().ShouldBe(Math.Round(100.0 * (promoters - detractors) / answers.Count, 1));
        var days = answers.GroupBy(e => e.Time / Day * Day).OrderBy(g => g.Key).Select(g => (g.Key, Split(g))).ToList();
        score.GetProperty("periods").EnumerateArray().Select(p => (p.GetProperty("start").GetInt64(),
            (p.GetProperty("promoters").GetInt64(), p.GetProperty("passives").GetInt64(), p.GetProperty("detractors").GetInt64()))).ShouldBe(days);
    }

    [Fact]
    public async Task The_acceptance_report_says_who_accepted_which_version_when()
    {
        var guideId = await PublishAsync(new
        {
            name = "Terms", kind = "policy",
            steps = new[] { new { id = "terms", placement = "lightbox", blocks = new object[] { new { policy = new { version = "2026-11", text = "Our terms." } } } } },
        });
        var poll = (await PollsAsync(guideId)).Single(p => p.Value == "PolicyAcceptance").Key;
        var sent = new List<Sent>
        {
            new("pollResponse", "visitor-b", "terms", Start + 5_000, PollId: poll, Response: "2026-11"),
            new("pollResponse", "visitor-a", "terms", Start + 9_000, PollId: poll, Response: "2026-11"),
            new("pollResponse", "visitor-a", "terms", Start + 20_000, PollId: poll, Response: "2026-11"), // accepted again: the first time counts
            new("pollResponse", "visitor-a", "terms", Start + 30_000, PollId: poll, Response: "2026-12"),
        };
        await SendAsync(guideId, sent);

        var rows = await (await _gp.Admin.GetAsync($"/api/analytics/guides/{guideId}/acceptances")).ShouldBeJsonAsync(HttpStatusCode.OK);
        rows.EnumerateArray().Select(r => (r.GetProperty("visitorId").GetString(), r.GetProperty("version").GetString(), r.GetProperty("acceptedAt").GetInt64(),
            r.GetProperty("accountId").GetString())).ShouldBe(
        [
            ("visitor-b", "2026-11", Start + 5_000, "account-1"), ("visitor-a", "2026-11", Start + 9_000, "account-1"), ("visitor-a", "2026-12", Start + 30_000, "account-1"),
        ]);
        var csv = await (await _gp.Admin.GetAsync($"/api/analytics/guides/{guideId}/acceptances?format=csv")).Content.ReadAsStringAsync();
        csv.Split("\r\n")[1].ShouldBe("visitor-b,account-1,2026-11,2026-10-05T00:00:05.000Z");

        await (await _gp.Admin.GetAsync("/api/analytics/guides/nope/acceptances")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        var tour = await PublishAsync(new { name = "No policy", steps = new[] { new { id = "a", placement = "lightbox", blocks = new object[] { new { text = "Hi" } } } } });
        (await (await _gp.Admin.GetAsync($"/api/analytics/guides/{tour}/acceptances")).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("policy");
        (await (await _gp.Admin.GetAsync($"/api/analytics/guides/{tour}/nps?from=2026-10-05&to=2026-10-11&period=hourly")).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("period");
    }

    [Fact]
    public async Task The_guides_source_and_the_guide_list_show_steps_and_polls_as_pendo_does()
    {
        var guideId = await PublishAsync(new
        {
            name = "Survey",
            steps = new object[]
            {
                new { id = "score", pageRule = "//*/dashboard", placement = "lightbox", blocks = new object[] { new { poll = new { type = "nps", question = "How likely?" } }, new { button = "Next", action = "next" } } },
                new { id = "done", placement = "lightbox", blocks = new object[] { new { text = "Thanks" } } },
            },
        });
        var poll = (await PollsAsync(guideId)).Single().Key;

        // Pendo's own example reads a guide's first poll id this way [aggregation-api.md, ETL getPollIds].
        var answer = await (await _gp.Admin.PostJsonAsync("/api/v1/aggregation", new
        {
            response = new { mimeType = "application/json" },
            request = new { pipeline = new object[] { new { source = new { guides = (object?)null } }, new { select = new { id = "id", pollId1 = "polls[0].id", steps = "steps" } } } },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var row = answer.GetProperty("results").EnumerateArray().Single();
        (row.GetProperty("id").GetString(), row.GetProperty("pollId1").GetString()).ShouldBe((guideId, poll));
        row.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ShouldBe(["score", "done"]);

        var listed = (await (await _gp.Admin.GetAsync("/api/v1/guide")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Single();
        listed.GetProperty("state").GetString().ShouldBe("published");
        listed.GetProperty("isMultiStep").GetBoolean().ShouldBeTrue();
        var step = listed.GetProperty("steps")[0];
        step.GetProperty("pollIds").EnumerateArray().Select(p => p.GetString()).ShouldBe([poll]);
        step.GetProperty("regexUrlRule").GetString().ShouldBe(Guidepost.Tagging.Rules.PageRule.Parse("//*/dashboard").JsPattern);
        listed.GetProperty("polls")[0].GetProperty("attributes").GetProperty("type").GetString().ShouldBe("NPSRating");
        listed.GetProperty("polls")[0].GetProperty("numericResponses").GetBoolean().ShouldBeTrue();
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

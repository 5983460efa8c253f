using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Polls and policies written with blocks through Guidepost's API, answered in each agent (the unmodified
/// Pendo agent, and Guidepost's own): each answer is stored as a <c>pollResponse</c> (from <c>poll.gif</c>) with the poll id the rendered step carries.</summary>
public abstract class PollGuideTests(AgentGuideSite site)
{
    [SkippableFact]
    public async Task An_nps_survey_stores_the_score_and_the_follow_up_text()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "NPS",
            kind = "nps",
            steps = new object[]
            {
                new
                {
                    id = "score", pageRule = "//*/app/nps/*", placement = "lightbox",
                    blocks = new object[]
                    {
                        new { poll = new { type = "nps", question = "How likely are you to recommend us?", minLabel = "Not likely", maxLabel = "Very likely" } },
                        new { button = "Next", action = "next" },
                    },
                },
                new
                {
                    id = "why", pageRule = "//*/app/nps/*", placement = "lightbox",
                    blocks = new object[] { new { poll = new { type = "freeText", question = "What could we do better?" } }, new { button = "Send", action = "next" } },
                },
            },
        });
        await using var visit = await site.VisitAsync("nps", "nps-visitor");

        await visit.ShowsAsync("#pendo-g-score #pendo-poll-0-option-9");
        (await visit.Page.Locator("#pendo-poll-0-question").InnerTextAsync()).ShouldBe("How likely are you to recommend us?");
        (await visit.Page.Locator("#pendo-poll-0-answers input[type=radio]").CountAsync()).ShouldBe(11);
        var scorePoll = await PollIdAsync(visit.Page);
        await visit.Page.ClickAsync("label[for=pendo-poll-0-option-9]");
        await visit.Page.ClickAsync("#pendo-button-1");

        await visit.ShowsAsync("#pendo-g-why #pendo-poll-0-input");
        var textPoll = await PollIdAsync(visit.Page);
        textPoll.ShouldNotBe(scorePoll);
        await visit.Page.FillAsync("#pendo-poll-0-input", "Faster reports, please");
        await visit.Page.ClickAsync("#pendo-button-1");
        await visit.Page.Locator("#pendo-g-why").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        var events = await site.WaitForGuideEventsAsync(visit.Visitor,
            events => events.Count(e => e.Type == "pollResponse") == 2 && events.Any(e => e.Type == "guideAdvanced" && e.StepId == "why"));
        events.ShouldAllBe(e => e.GuideId == guideId);
        var responses = events.Where(e => e.Type == "pollResponse").ToList();
        (responses[0].StepId, responses[0]["poll_id"], responses[0].Props.GetProperty("poll_response").GetInt32()).ShouldBe(("score", scorePoll, 9));
        (responses[1].StepId, responses[1]["poll_id"], responses[1]["poll_response"]).ShouldBe(("why", textPoll, "Faster reports, please"));
        events.Where(e => e.Type == "guideAdvanced").Select(e => e.StepId).ShouldBe(["score", "why"]);
        events.Where(e => e.Type == "guideSeen").Select(e => e.StepId).ShouldBe(["score", "why"]);
    }

    [SkippableFact]
    public async Task A_single_choice_poll_stores_the_chosen_option()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Usage",
            kind = "poll",
            steps = new object[]
            {
                new
                {
                    id = "usage", pageRule = "//*/app/choice/*", placement = "lightbox",
                    blocks = new object[]
                    {
                        new { poll = new { type = "singleChoice", question = "How often do you export?", options = new[] { "Daily", "Weekly", "Rarely" } } },
                        new { button = "Submit", action = "next" },
                    },
                },
            },
        });
        await using var visit = await site.VisitAsync("choice", "choice-visitor");

        await visit.ShowsAsync("#pendo-g-usage #pendo-poll-0-answers");
        (await visit.Page.Locator("#pendo-poll-0-answers label").AllInnerTextsAsync()).ShouldBe(["Daily", "Weekly", "Rarely"]);
        var poll = await PollIdAsync(visit.Page);
        await visit.Page.ClickAsync("label[for=pendo-poll-0-option-1]");
        await visit.Page.ClickAsync("#pendo-button-1");

        var events = await site.WaitForGuideEventsAsync(visit.Visitor,
            events => events.Any(e => e.Type == "pollResponse") && events.Any(e => e.Type == "guideAdvanced"));
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "usage");
        var response = events.Single(e => e.Type == "pollResponse");
        (response["poll_id"], response["poll_response"]).ShouldBe((poll, "Weekly"));
    }

    [SkippableFact]
    public async Task A_policy_cannot_be_dismissed_and_stays_away_once_accepted()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Terms",
            kind = "policy",
            steps = new object[]
            {
                new
                {
                    id = "terms", pageRule = "//*/app/policy/*", placement = "lightbox",
                    blocks = new object[]
                    {
                        new { heading = "Our new terms" },
                        new { policy = new { version = "2025-06", text = "You agree to be nice.", accept = "I accept" } },
                    },
                },
            },
        });
        await using var visit = await site.VisitAsync("policy", "policy-visitor");

        var accept = await visit.ShowsAsync("#pendo-g-terms #pendo-button-accept-1");
        (await visit.Page.Locator("#pendo-policy-1-text").InnerTextAsync()).ShouldBe("You agree to be nice.");
        (await accept.InnerTextAsync()).ShouldBe("I accept");
        (await visit.Page.Locator("[id^=pendo-close-guide]").CountAsync()).ShouldBe(0);
        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await visit.Page.Keyboard.PressAsync("Escape");
        await visit.Page.Mouse.ClickAsync(5, 200); // on the backdrop, outside the guide
        await Task.Delay(1500); // the agent would flush a dismissal within 500 ms
        (await visit.Page.Locator("#pendo-g-terms").IsVisibleAsync()).ShouldBeTrue("ESC and clicking outside leave a policy in place");
        (await site.GuideEventsAsync(visit.Visitor)).Select(e => e.Type).ShouldBe(["guideSeen"]);

        var poll = await PollIdAsync(visit.Page, "#pendo-policy-1-acceptance");
        await accept.ClickAsync();
        var events = await site.WaitForGuideEventsAsync(visit.Visitor,
            events => events.Any(e => e.Type == "pollResponse") && events.Any(e => e.Type == "guideAdvanced"));
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "terms");
        events.ShouldNotContain(e => e.Type == "guideDismissed");
        var response = events.Single(e => e.Type == "pollResponse");
        (response["poll_id"], response["poll_response"]).ShouldBe((poll, "2025-06"));

        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
    }

    /// <summary>The poll id the rendered step carries, which the agent sends back as <c>poll_id</c>; it must be
    /// one of the step's <c>pollIds</c> in guide.json.</summary>
    private static async Task<string> PollIdAsync(IPage page, string selector = "#pendo-poll-0-answers")
    {
        var id = await page.Locator(selector).GetAttributeAsync("data-pendo-poll-id");
        id.ShouldNotBeNullOrEmpty();
        (await page.EvaluateAsync<bool>("id => pendo.guides.some(g => g.steps.some(s => (s.pollIds || []).includes(id)))", id)).ShouldBeTrue();
        return id!;
    }
}

[Collection(PendoAgentGuideCollection.Name)]
public sealed class PendoAgentPollGuideTests(PendoAgentGuideSite site) : PollGuideTests(site);

[Collection(GuidepostAgentGuideCollection.Name)]
public sealed class GuidepostAgentPollGuideTests(GuidepostAgentGuideSite site) : PollGuideTests(site);

using System.Net;
using System.Net.Http.Json;
using Guidepost.Testing;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Guides written with blocks through Guidepost's API (placements, walkthroughs, targeting, launch by an
/// element), shown in Debian's Chromium by each agent (the unmodified Pendo agent, and Guidepost's own): what the
/// visitor sees, the guide events stored, and that finished guides stay away once the agent has forgotten them.</summary>
public abstract class BlockGuideTests(AgentGuideSite site)
{
    [SkippableFact]
    public async Task A_lightbox_written_as_a_raw_tree_shows_once_and_stays_away_after_it_is_advanced()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Raw welcome", steps = new[] { new { id = "raw-step", pageRule = "//*/app/raw/*", domJson = GuideFixtures.Lightbox("raw-step") } },
        });
        await using var visit = await site.VisitAsync("raw", "raw-visitor");

        var button = await visit.ShowsAsync("#pendo-button-ok");
        (await visit.Page.Locator("#pendo-title-1").InnerTextAsync()).ShouldBe("Hello");
        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await button.ClickAsync();
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideAdvanced"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideAdvanced"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "raw-step");

        // The agent forgets after 10 s what it showed; the server's step state keeps the guide away, and only from this visitor.
        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
        await using var other = await site.VisitAsync("raw", "raw-visitor-2");
        await other.ShowsAsync("#pendo-button-ok");
    }

    [SkippableTheory]
    [InlineData("bottom")]
    [InlineData("top")]
    [InlineData("right")]
    [InlineData("left")]
    public async Task A_tooltip_points_at_its_element_from_its_side_and_advances_with_its_button(string position)
    {
        BrowserTools.Require(site.Agent);
        var area = $"tooltip-{position}";
        var guideId = await site.PublishAsync(new
        {
            name = $"Buy tip {position}",
            steps = new object[]
            {
                new
                {
                    id = $"tip-{position}", pageRule = $"//*/app/{area}/*", elementRule = "#buy", placement = "tooltip", position, width = 240,
                    blocks = new object[] { new { heading = "Buy here" }, new { text = "One click and it is yours." }, new { button = "Got it", action = "next" } },
                },
            },
        });
        await using var visit = await site.VisitAsync(area, $"{area}-visitor");

        var button = await visit.ShowsAsync($"#pendo-g-tip-{position} #pendo-button-2");
        (await visit.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe("Buy here");
        (await visit.Page.Locator("#pendo-text-1").InnerTextAsync()).ShouldBe("One click and it is yours.");
        (await button.InnerTextAsync()).ShouldBe("Got it");
        (await visit.Page.Locator("#pendo-backdrop").CountAsync()).ShouldBe(0, "a tooltip leaves the page usable");
        var element = await visit.BoxAsync("#buy");
        var tooltip = await visit.BoxAsync("#pendo-guide-container");
        var caret = await visit.BoxAsync($".pendo-tooltip-caret--{position}");
        var where = $"tooltip {tooltip}, caret {caret}, element {element}";
        tooltip.Width.ShouldBe(240, 1);
        // Within 20 px of the element on the chosen side, with the caret between them pointing at the element's
        // centre; along the other axis the agent biases the tooltip towards the roomier side.
        switch (position)
        {
            case "bottom":
                tooltip.Y.ShouldBeInRange(element.Bottom, element.Bottom + 20, where);
                caret.Y.ShouldBeInRange(element.Bottom - 1, tooltip.Y, where);
                break;
            case "top":
                tooltip.Bottom.ShouldBeInRange(element.Y - 20, element.Y, where);
                caret.Bottom.ShouldBeInRange(tooltip.Bottom, element.Y + 1, where);
                break;
            case "right":
                tooltip.X.ShouldBeInRange(element.Right, element.Right + 20, where);
                caret.X.ShouldBeInRange(element.Right - 1, tooltip.X, where);
                break;
            default:
                tooltip.Right.ShouldBeInRange(element.X - 20, element.X, where);
                caret.Right.ShouldBeInRange(tooltip.Right, element.X + 1, where);
                break;
        }
        if (position is "top" or "bottom")
        {
            element.CenterX.ShouldBeInRange(tooltip.X, tooltip.Right, where);
            caret.CenterX.ShouldBe(element.CenterX, 4, where);
        }
        else
        {
            element.CenterY.ShouldBeInRange(tooltip.Y, tooltip.Bottom, where);
            caret.CenterY.ShouldBe(element.CenterY, 4, where);
        }

        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await button.ClickAsync();
        await visit.Page.Locator("#pendo-guide-container").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideAdvanced"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideAdvanced"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == $"tip-{position}");
        events[0]["reason"].ShouldBe("auto");
        events[1]["ui_element_id"].ShouldBe("pendo-button-2");
    }

    [SkippableFact]
    public async Task A_top_banner_spans_the_viewport_and_stays_away_once_closed()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Maintenance",
            kind = "announcement",
            steps = new object[]
            {
                new { id = "notice", pageRule = "//*/app/banner/*", placement = "banner", position = "top", blocks = new object[] { new { text = "Maintenance tonight at 22:00." } } },
            },
        });
        await using var visit = await site.VisitAsync("banner", "banner-visitor");

        var close = await visit.ShowsAsync("#pendo-close-guide-notice");
        (await visit.Page.Locator("#pendo-text-0").InnerTextAsync()).ShouldBe("Maintenance tonight at 22:00.");
        var banner = await visit.BoxAsync("#pendo-guide-container");
        var (width, _) = await visit.ViewportAsync();
        banner.Y.ShouldBe(0, 1);
        banner.X.ShouldBe(0, 1);
        banner.Width.ShouldBe(width, 1);
        (await visit.Page.Locator("#pendo-backdrop").CountAsync()).ShouldBe(0, "a banner leaves the page usable");
        await visit.Page.Mouse.WheelAsync(0, 800);
        await visit.Page.WaitForFunctionAsync("() => window.scrollY > 0");
        (await visit.BoxAsync("#pendo-guide-container")).Y.ShouldBe(0, 1, "the banner stays pinned while the page scrolls");

        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await close.ClickAsync();
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideDismissed"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideDismissed"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "notice");
        events[2]["seen_reason"].ShouldBe("auto");

        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
    }

    [SkippableFact]
    public async Task A_walkthrough_continues_on_another_page_and_counts_one_completion()
    {
        BrowserTools.Require(site.Agent);
        object Step(string id, string area, string heading, string button) => new
        {
            id, pageRule = $"//*/app/{area}/*", placement = "lightbox",
            blocks = new object[] { new { heading }, new { button, action = "next" } },
        };
        var guideId = await site.PublishAsync(new
        {
            name = "Tour",
            steps = new[] { Step("tour-1", "tour-home", "Welcome", "Next"), Step("tour-2", "tour-home", "Your dashboard", "Next"), Step("tour-3", "tour-orders", "Your orders", "Done") },
        });
        await using var visit = await site.VisitAsync("tour-home", "tour-visitor");

        foreach (var (step, heading) in new[] { ("tour-1", "Welcome"), ("tour-2", "Your dashboard") })
        {
            await visit.ShowsAsync($"#pendo-g-{step} #pendo-button-1");
            (await visit.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe(heading);
            await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen" && e.StepId == step));
            await visit.Page.ClickAsync("#pendo-button-1");
            await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideAdvanced" && e.StepId == step));
        }
        // Step 3 belongs to another page: nothing more here.
        await visit.ShowsNoGuideAsync(TimeSpan.FromSeconds(2));

        await visit.GoToAsync("tour-orders");
        await visit.ShowsAsync("#pendo-g-tour-3 #pendo-button-1");
        (await visit.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe("Your orders");
        await visit.Page.ClickAsync("#pendo-button-1");
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideAdvanced" && e.StepId == "tour-3"));

        events.Select(e => (e.Type, e.StepId)).ShouldBe(
        [
            ("guideSeen", "tour-1"), ("guideActivity", "tour-1"), ("guideAdvanced", "tour-1"),
            ("guideSeen", "tour-2"), ("guideActivity", "tour-2"), ("guideAdvanced", "tour-2"),
            ("guideSeen", "tour-3"), ("guideActivity", "tour-3"), ("guideAdvanced", "tour-3"),
        ]);
        events.ShouldAllBe(e => e.GuideId == guideId);
        events.Where(e => e.Type == "guideSeen").Select(e => e["reason"]).ShouldBe(["auto", "continue", "continue"]);

        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
        await visit.GoToAsync("tour-home");
        await visit.ShowsNoGuideAsync();

        var today = DateTime.UtcNow;
        var summary = await (await site.Guidepost.Admin.GetAsync(
                $"/api/analytics/guides/{guideId}?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        // Views count every guideSeen stored, the Pendo agent's start-up repeat included (see GuideEventsAsync).
        var seen = (await site.StoredAsync(visit.Visitor)).Where(e => e.Type == "guideSeen").Select(GuideEvent.Of).ToList();
        seen.Select(e => e.StepId).Distinct().ShouldBe(["tour-1", "tour-2", "tour-3"]);
        summary.GetProperty("views").GetInt64().ShouldBe(seen.Count);
        summary.GetProperty("visitors").GetInt64().ShouldBe(1);
        summary.GetProperty("completedVisitors").GetInt64().ShouldBe(1);
        summary.GetProperty("dismissedVisitors").GetInt64().ShouldBe(0);
        summary.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("stepId").GetString(), s.GetProperty("views").GetInt64(), s.GetProperty("advancedVisitors").GetInt64()))
            .ShouldBe(new[] { "tour-1", "tour-2", "tour-3" }.Select(step => ((string?)step, (long)seen.Count(e => e.StepId == step), 1L)));
    }

    [SkippableFact]
    public async Task A_walkthrough_goes_back_jumps_ahead_and_is_snoozed()
    {
        BrowserTools.Require(site.Agent);
        object Step(string id, string heading, params object[] buttons) => new
        {
            id, pageRule = "//*/app/moves/*", placement = "lightbox", blocks = new object[] { new { heading } }.Concat(buttons).ToArray(),
        };
        var guideId = await site.PublishAsync(new
        {
            name = "Moves",
            steps = new[]
            {
                Step("moves-1", "One", new { button = "Next", action = "next" }),
                Step("moves-2", "Two", new { button = "Back", action = "previous" }, new { button = "To the end", action = "goToStep", stepIndex = 3 }),
                Step("moves-3", "Three", new { button = "Next", action = "next" }),
                Step("moves-4", "Four", new { button = "Later", action = "snooze" }),
            },
        });
        await using var visit = await site.VisitAsync("moves", "moves-visitor");
        foreach (var (step, button) in new[] { ("moves-1", 1), ("moves-2", 1), ("moves-1", 1), ("moves-2", 2), ("moves-4", 1) })
        {
            await visit.ShowsAsync($"#pendo-g-{step} #pendo-button-{button}");
            await site.WaitForGuideEventsAsync(visit.Visitor, events => events.LastOrDefault() is { Type: "guideSeen" } seen && seen.StepId == step);
            await visit.Page.ClickAsync($"#pendo-g-{step} #pendo-button-{button}");
        }
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSnoozed"));
        events.ShouldAllBe(e => e.GuideId == guideId);
        events.Where(e => e.Type != "guideActivity").Select(e => $"{e.Type} {e.StepId} {e["reason"] ?? e["seen_reason"]} {e["destination_step_id"]} {e["snooze_duration"]}".TrimEnd())
            .ShouldBe(
            [
                "guideSeen moves-1 auto", "guideAdvanced moves-1 auto moves-2",
                "guideSeen moves-2 continue", "guideAdvanced moves-2 auto moves-1",
                "guideSeen moves-1 auto", "guideAdvanced moves-1 auto moves-2",
                "guideSeen moves-2 continue", "guideAdvanced moves-2 auto moves-4",
                "guideSeen moves-4 continue", "guideSnoozed moves-4 auto  86400000",
            ]);

        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
    }

    [SkippableFact]
    public async Task A_guide_opens_a_link_and_another_guide_from_its_buttons()
    {
        BrowserTools.Require(site.Agent);
        var otherId = await site.PublishAsync(new
        {
            name = "Details", launchMethod = "api",
            steps = new object[] { new { id = "details", pageRule = "//*/app/links/*", placement = "lightbox", blocks = new object[] { new { heading = "Details" } } } },
        });
        var guideId = await site.PublishAsync(new
        {
            name = "Links",
            steps = new object[]
            {
                new
                {
                    id = "links", pageRule = "//*/app/links/*", placement = "lightbox",
                    blocks = new object[]
                    {
                        new { heading = "Learn more" },
                        new { button = "Docs", action = "link", url = "/docs" },
                        new { button = "Details", action = "showGuide", guideId = otherId },
                    },
                },
            },
        });
        await using var visit = await site.VisitAsync("links", "links-visitor");
        await visit.ShowsAsync("#pendo-g-links #pendo-button-1");
        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        var opened = new TaskCompletionSource<string>();
        visit.Page.Context.Request += (_, request) => { if (request.Url.EndsWith("/docs")) opened.TrySetResult(request.Url); };
        await visit.Page.ClickAsync("#pendo-g-links #pendo-button-1");
        (await opened.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldStartWith(site.Url("links", "x")[..^"/app/links/x".Length]); // a new tab on the site
        await visit.Page.ClickAsync("#pendo-g-links #pendo-button-2");
        await visit.ShowsAsync("#pendo-g-details");
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen" && e.GuideId == otherId));
        events.Select(e => $"{e.Type} {(e.GuideId == guideId ? "links" : "details")}/{e.StepId} {e["reason"] ?? e["seen_reason"]} {e["ui_element_id"]} {e["ui_element_actions"]}".TrimEnd())
            .ShouldBe(
            [
                "guideSeen links/links auto",
                """guideActivity links/links  pendo-button-1 [{"action":"openLink","url":"/docs","target":"_blank"}]""",
                $$"""guideActivity links/links  pendo-button-2-{{otherId}} [{"action":"showGuide","guideId":"{{otherId}}"}]""",
                "guideSeen details/details api",
            ]);
    }

    [SkippableFact]
    public async Task A_segment_targeted_guide_shows_to_members_only()
    {
        BrowserTools.Require(site.Agent);
        var admin = site.Guidepost.Admin;
        var segment = await (await admin.PostJsonAsync("/api/v1/segment", new { name = "Pro plan", rules = new { field = "custom.plan", value = "pro" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        foreach (var (visitor, plan) in new[] { ("segment-pro", "pro"), ("segment-free", "free") })
            (await admin.PutAsync($"/api/v1/metadata/visitor/custom/value/{visitor}/plan", JsonContent.Create(plan)))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        var guideId = await site.PublishAsync(new
        {
            name = "Pro feature",
            audience = new { segmentId = segment.GetProperty("id").GetString() },
            steps = new object[]
            {
                new { id = "pro", pageRule = "//*/app/segment/*", placement = "lightbox", blocks = new object[] { new { heading = "New for Pro" }, new { button = "Thanks", action = "next" } } },
            },
        });

        await using var member = await site.VisitAsync("segment", "segment-pro");
        await member.ShowsAsync("#pendo-g-pro");
        (await member.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe("New for Pro");
        var seen = await site.WaitForGuideEventsAsync(member.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        seen.Single().GuideId.ShouldBe(guideId);

        await using var other = await site.VisitAsync("segment", "segment-free");
        await other.ShowsNoGuideAsync(TimeSpan.FromSeconds(4));
        const string hasGuide = "id => pendo.guides.some(g => g.id === id)";
        (await other.Page.EvaluateAsync<bool>(hasGuide, guideId)).ShouldBeFalse("the server leaves the guide out for non-members");
        (await member.Page.EvaluateAsync<bool>(hasGuide, guideId)).ShouldBeTrue();
        (await site.GuideEventsAsync(other.Visitor)).ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task A_badge_guide_shows_its_badge_by_the_element_and_opens_when_it_is_clicked()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "What is Buy?",
            launchMethod = "badge",
            badge = new { position = "top-right", width = 16, height = 16 },
            steps = new object[]
            {
                new
                {
                    id = "badge-help", pageRule = "//*/app/badge/*", elementRule = "#buy", placement = "tooltip", position = "bottom",
                    blocks = new object[] { new { text = "Buying takes one click." }, new { button = "Thanks", action = "next" } },
                },
            },
        });
        await using var visit = await site.VisitAsync("badge", "badge-visitor");
        var badge = await visit.ShowsAsync("#_pendo-badge_badge-help");
        await visit.ShowsNoGuideAsync(TimeSpan.FromSeconds(1));
        var (element, mark) = (await visit.BoxAsync("#buy"), await visit.BoxAsync("#_pendo-badge_badge-help"));
        (mark.Width, mark.Height).ShouldBe((16, 16));
        mark.CenterX.ShouldBe(element.Right, 12, $"badge {mark} at the top right of {element}");
        mark.CenterY.ShouldBe(element.Y, 12, $"badge {mark} at the top right of {element}");

        await badge.ClickAsync();
        await visit.ShowsAsync("#pendo-g-badge-help #pendo-button-1");
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        (events.Single().GuideId, events.Single()["reason"]).ShouldBe((guideId, "badge"));
    }

    [SkippableFact]
    public async Task A_guide_launched_by_an_element_shows_only_after_the_click()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Help",
            launchMethod = "dom",
            activation = new { selector = "#help", @event = new[] { "click" } },
            steps = new object[]
            {
                new { id = "help", pageRule = "//*/app/help/*", placement = "lightbox", blocks = new object[] { new { heading = "How can we help?" }, new { button = "Close", action = "dismiss" } } },
            },
        });
        await using var visit = await site.VisitAsync("help", "help-visitor");
        await visit.ShowsNoGuideAsync();

        await visit.Page.ClickAsync("#help");
        await visit.ShowsAsync("#pendo-g-help");
        (await visit.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe("How can we help?");
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        events.Single().GuideId.ShouldBe(guideId);
        events.Single()["reason"].ShouldBe("dom");
    }
}

[Collection(PendoAgentGuideCollection.Name)]
public sealed class PendoAgentBlockGuideTests(PendoAgentGuideSite site) : BlockGuideTests(site);

[Collection(GuidepostAgentGuideCollection.Name)]
public sealed class GuidepostAgentBlockGuideTests(GuidepostAgentGuideSite site) : BlockGuideTests(site);

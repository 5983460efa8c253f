namespace Guidepost.E2E.Tests;

/// <summary>Guides written with blocks through Guidepost's API (placements, walkthroughs, targeting, launch by an
/// element), shown by the unmodified Pendo agent in Debian's Chromium: what the visitor sees, the guide events
/// stored, and that finished guides stay away once the agent has forgotten them.</summary>
[Collection(AgentGuideCollection.Name)]
public sealed class PendoAgentBlockGuideTests(AgentGuideSite site)
{
    [SkippableFact]
    public async Task A_tooltip_points_at_its_element_and_advances_with_its_button()
    {
        BrowserTools.Require();
        var guideId = await site.PublishAsync(new
        {
            name = "Buy tip",
            steps = new object[]
            {
                new
                {
                    id = "tip", pageRule = "//*/app/tooltip/*", elementRule = "#buy", placement = "tooltip", position = "bottom", width = 240,
                    blocks = new object[] { new { heading = "Buy here" }, new { text = "One click and it is yours." }, new { button = "Got it", action = "next" } },
                },
            },
        });
        await using var visit = await site.VisitAsync("tooltip", "tooltip-visitor");

        var button = await visit.ShowsAsync("#pendo-button-2");
        (await visit.Page.Locator("#pendo-heading-0").InnerTextAsync()).ShouldBe("Buy here");
        (await visit.Page.Locator("#pendo-text-1").InnerTextAsync()).ShouldBe("One click and it is yours.");
        (await button.InnerTextAsync()).ShouldBe("Got it");
        var element = await visit.BoxAsync("#buy");
        var tooltip = await visit.BoxAsync("#pendo-guide-container");
        tooltip.Width.ShouldBe(240, 1);
        tooltip.Y.ShouldBeInRange(element.Bottom, element.Bottom + 30, $"the tooltip's top ({tooltip}) is just below the element ({element})");
        // The agent biases a tooltip towards the roomier side and points its caret at the element's centre.
        element.CenterX.ShouldBeInRange(tooltip.X, tooltip.Right, $"the tooltip ({tooltip}) spans the element's centre ({element})");
        var caret = await visit.BoxAsync(".pendo-tooltip-caret--bottom");
        caret.CenterX.ShouldBe(element.CenterX, 4, $"the caret ({caret}) points at the element ({element})");
        caret.Y.ShouldBeInRange(element.Bottom - 1, tooltip.Y, $"the caret ({caret}) sits between the element ({element}) and the tooltip ({tooltip})");

        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await button.ClickAsync();
        await visit.Page.Locator("#pendo-guide-container").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideAdvanced"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideAdvanced"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "tip");
        events[0]["reason"].ShouldBe("auto");
        events[1]["ui_element_id"].ShouldBe("pendo-button-2");
    }

    [SkippableFact]
    public async Task A_top_banner_spans_the_viewport_and_stays_away_once_closed()
    {
        BrowserTools.Require();
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

        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await close.ClickAsync();
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideDismissed"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideDismissed"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "notice");
        events[2]["seen_reason"].ShouldBe("auto");

        await visit.ReloadAfterAgentMemoryAsync();
        await visit.ShowsNoGuideAsync();
    }
}

using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>What Guidepost's agent adds to the shared guide scenarios: keyboard use of a lightbox (focus moved into
/// it and kept there, ESC to close, focus given back) and the page's own calls (<c>showGuideById</c>,
/// <c>onGuideDismissed</c>, <c>events.guidesLoaded</c>).</summary>
[Collection(GuidepostAgentGuideCollection.Name)]
public sealed class GuidepostAgentGuideTests(GuidepostAgentGuideSite site)
{
    private const string FocusInGuide = "() => document.getElementById('pendo-guide-container')?.contains(document.activeElement) === true";

    [SkippableFact]
    public async Task A_lightbox_is_a_modal_dialog_for_the_keyboard()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "Keyboard",
            launchMethod = "dom",
            activation = new { selector = "#help", @event = new[] { "click" } },
            steps = new object[]
            {
                new
                {
                    id = "keys", pageRule = "//*/app/keys/*", placement = "lightbox",
                    blocks = new object[] { new { heading = "Shortcuts" }, new { text = "Press ? anywhere." }, new { button = "Next", action = "next" } },
                },
            },
        });
        await using var visit = await site.VisitAsync("keys", "keys-visitor");
        await visit.ShowsNoGuideAsync(TimeSpan.FromSeconds(1));
        await visit.Page.ClickAsync("#help"); // which also focuses it

        await visit.ShowsAsync("#pendo-g-keys #pendo-button-2");
        var dialog = visit.Page.Locator("#pendo-guide-container");
        (await dialog.GetAttributeAsync("role")).ShouldBe("dialog");
        (await dialog.GetAttributeAsync("aria-modal")).ShouldBe("true");
        var label = await dialog.GetAttributeAsync("aria-labelledby");
        (await visit.Page.Locator($"[id='{label}']").InnerTextAsync()).ShouldBe("Shortcuts");
        await visit.Page.WaitForFunctionAsync(FocusInGuide);

        // Tab and Shift+Tab go round the guide's controls (the close button and "Next"), never back to the page.
        var focused = new List<string>();
        foreach (var keys in new[] { "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab" })
        {
            await visit.Page.Keyboard.PressAsync(keys);
            (await visit.Page.EvaluateAsync<bool>(FocusInGuide)).ShouldBeTrue($"focus left the guide after {keys}");
            focused.Add(await visit.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        }
        focused.Distinct().Order().ShouldBe(["pendo-button-2", "pendo-close-guide-keys"]);

        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));
        await visit.Page.Keyboard.PressAsync("Escape");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await visit.Page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("help", "focus goes back where it was");
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideDismissed"));
        events.Select(e => e.Type).ShouldBe(["guideSeen", "guideDismissed"]);
        events.ShouldAllBe(e => e.GuideId == guideId && e.StepId == "keys");
    }

    [SkippableFact]
    public async Task The_page_shows_and_dismisses_a_guide_through_the_agents_calls()
    {
        BrowserTools.Require(site.Agent);
        var guideId = await site.PublishAsync(new
        {
            name = "On demand",
            launchMethod = "api",
            steps = new object[]
            {
                new { id = "demand", pageRule = "//*/app/demand/*", placement = "lightbox", blocks = new object[] { new { heading = "Here you are" } } },
            },
        });
        await using var visit = await site.VisitAsync("demand", "demand-visitor");
        await visit.ShowsNoGuideAsync(TimeSpan.FromSeconds(2));

        (await visit.Page.EvaluateAsync<bool>("id => pendo.showGuideById(id)", guideId)).ShouldBeTrue();
        await visit.ShowsAsync("#pendo-g-demand");
        (await visit.Page.EvaluateAsync<bool>("() => pendo.showGuideById('no-such-guide')")).ShouldBeFalse();
        await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideSeen"));

        await visit.Page.EvaluateAsync("() => pendo.onGuideDismissed()");
        await visit.Page.Locator("#pendo-g-demand").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var events = await site.WaitForGuideEventsAsync(visit.Visitor, events => events.Any(e => e.Type == "guideDismissed"));
        events.Select(e => (e.Type, e["reason"] ?? e["seen_reason"])).ShouldBe([("guideSeen", "api"), ("guideDismissed", "api")]);
        events.ShouldAllBe(e => e.GuideId == guideId);
    }
}

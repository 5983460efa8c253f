using System.Net;
using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Guides written through Guidepost's API, shown by the unmodified Pendo agent (from npm) in Debian's
/// Chromium on a page of another origin; what the visitor does is stored as guide events, and dismissed or
/// completed guides stay away after a reload.</summary>
public sealed class PendoAgentGuideTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;
    private string _server = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync(kestrel: true);
        _server = _gp.Admin.BaseAddress!.ToString().TrimEnd('/');
    }

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();

    private string Page(string visitor) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>App</title></head><body>
        <header id="top"><a href="/home" id="home-link">Home</a> <button id="help" type="button">Help</button></header>
        <main id="content"><h1>Dashboard</h1><button id="buy" type="button">Buy</button></main>
        <script type="module">
          import { loadAgent } from '/static/pendo.module.js';
          const server = '{{_server}}';
          const pendo = loadAgent({
            apiKey: '{{_gp.Bootstrap.ApiKey}}', env: 'prod', server, dataHost: server, designerServer: server,
            assetHost: server, assetPath: '', loadAsModule: true, pendoGlobalKey: 'pendo', disableDesignerKeyboardShortcut: true
          });
          window.pendo = pendo;
          pendo.initialize({ visitor: { id: '{{visitor}}' }, account: { id: 'account-1' }, dataHost: server, initializeImmediately: true });
        </script>
        </body></html>
        """;

    private async Task<string> PublishAsync(object guide)
    {
        var created = await (await _gp.Admin.PostJsonAsync("/api/v1/guide", guide)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "public" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return id;
    }

    [SkippableFact]
    public async Task A_lightbox_shows_once_and_stays_away_after_it_is_advanced()
    {
        BrowserTools.Require();
        var guideId = await PublishAsync(new { name = "Welcome", steps = new[] { new { id = "step-1", domJson = GuideFixtures.Lightbox("step-1") } } });
        await using var site = await StaticSite.StartAsync(path => path.StartsWith("/app") ? Page(path[5..]) : null, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        await page.GotoAsync(site.Origin + "/app/visitor-1");
        var button = page.Locator("#pendo-button-ok");
        await button.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 20_000 });
        (await page.Locator("#pendo-title-1").TextContentAsync()).ShouldBe("Hello");
        await WaitForStoredAsync(events => events.Any(e => e.Type == "guideSeen"));

        await button.ClickAsync();
        await WaitForStoredAsync(events => events.Any(e => e.Type == "guideAdvanced"));
        var guideEvents = (await StoredAsync()).Where(e => e.Type.StartsWith("guide")).ToList();
        guideEvents.Select(e => e.Type).ShouldBe(["guideSeen", "guideActivity", "guideAdvanced"]);
        guideEvents.ShouldAllBe(e => e.VisitorId == "visitor-1");
        foreach (var e in guideEvents)
        {
            using var props = JsonDocument.Parse(e.Properties!);
            (props.RootElement.GetProperty("guide_id").GetString(), props.RootElement.GetProperty("guide_step_id").GetString()).ShouldBe((guideId, "step-1"));
        }

        // The agent forgets after 10 s what it showed; the server's step state keeps the guide away.
        await Task.Delay(TimeSpan.FromSeconds(11));
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.pendo && window.pendo.isReady && window.pendo.isReady()");
        await page.WaitForFunctionAsync("() => Array.isArray(pendo.guides) && pendo.guides.length === 1");
        await Task.Delay(3000); // several turns of the agent's guide loop
        (await page.Locator("#pendo-guide-container").CountAsync()).ShouldBe(0);

        // Another visitor still gets it.
        var other = await browser.NewPageAsync();
        await other.GotoAsync(site.Origin + "/app/visitor-2");
        await other.Locator("#pendo-button-ok").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 20_000 });
    }

    private async Task<List<StoredEvent>> StoredAsync() =>
        [.. (await _gp.App.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(_gp.Target.SubscriptionId, _gp.Target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync())
            .OrderBy(e => e.BrowserTime).ThenBy(e => e.Sequence)];

    private async Task WaitForStoredAsync(Func<List<StoredEvent>, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
            if (done(await StoredAsync())) return;
        throw new TimeoutException("The expected events were not stored within 20 seconds: " +
            string.Join(", ", (await StoredAsync()).Select(e => $"{e.Type} {e.Url}")));
    }
}

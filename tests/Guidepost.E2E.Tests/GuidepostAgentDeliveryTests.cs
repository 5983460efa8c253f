using Guidepost.Testing;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Guidepost's agent does not lose what it captured: events still queued when the visitor leaves the page go
/// out as the page unloads, and events the server never received (it was unreachable) are kept in localStorage and
/// sent by the next page load.</summary>
public sealed class GuidepostAgentDeliveryTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync(kestrel: true);

    private async Task<StaticSite> SiteAsync()
    {
        var snippet = await BrowserTools.InstallSnippetAsync(_gp);
        return await StaticSite.StartAsync(path => path.StartsWith("/page") ? $$"""
            <!doctype html><html><head><meta charset="utf-8"><title>Page</title></head>
            <body><button id="go" type="button">Go</button>
            {{snippet}}
            <script>pendo.initialize({ visitor: { id: 'delivery-visitor' }, account: { id: 'delivery-account' } });</script>
            </body></html>
            """ : null, BrowserTools.PendoAgentDist);
    }

    private async Task<List<string>> StoredAsync() =>
        [.. (await _gp.StoredEventsAsync()).Select(e => $"{e.Type} {new Uri(e.Url!).AbsolutePath}")];

    private async Task WaitForStoredAsync(Func<List<string>, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
            if (done(await StoredAsync())) return;
        throw new TimeoutException("Stored: " + string.Join(", ", await StoredAsync()));
    }

    private static Task ReadyAsync(IPage page) => page.WaitForFunctionAsync("() => window.pendo && pendo.isReady && pendo.isReady()");

    [SkippableFact]
    public async Task Clicks_queued_when_the_visitor_leaves_arrive()
    {
        BrowserTools.Require(BrowserAgent.Guidepost);
        await using var site = await SiteAsync();
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(site.Origin + "/page-1");
        await ReadyAsync(page);
        await WaitForStoredAsync(stored => stored.Contains("load /page-1"));

        // A click waits for the next flush (two minutes away); leaving the page must send it.
        await page.ClickAsync("#go");
        await page.GotoAsync(site.Origin + "/page-2");
        await WaitForStoredAsync(stored => stored.Contains("click /page-1") && stored.Contains("load /page-2"));
    }

    [SkippableFact]
    public async Task Events_the_server_never_got_are_sent_by_the_next_page_load()
    {
        BrowserTools.Require(BrowserAgent.Guidepost);
        await using var site = await SiteAsync();
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        // Guidepost is unreachable from this page for its whole life: every beacon it sends fails at the network.
        await page.RouteAsync("**/data/ptm.gif/**", route => route.AbortAsync());
        await page.GotoAsync(site.Origin + "/page-offline");
        await ReadyAsync(page);
        await page.ClickAsync("#go");
        await page.EvaluateAsync("() => pendo.track('Offline', { n: 1 })");
        await page.EvaluateAsync("() => pendo.flushNow()");
        await page.WaitForFunctionAsync("key => (localStorage.getItem('_pendo_unsentEvents.' + key) || '').includes('Offline')", _gp.Target.ApiKey);
        await Task.Delay(1000);
        (await StoredAsync()).ShouldBeEmpty();

        // The next page of the site (a new tab here, so the offline page cannot deliver anything itself) sends them.
        var next = await context.NewPageAsync();
        await next.GotoAsync(site.Origin + "/page-online");
        await ReadyAsync(next);
        await WaitForStoredAsync(stored => stored.Count(s => s.StartsWith("load")) == 2);
        await Task.Delay(1000); // anything sent twice has arrived by now
        (await StoredAsync()).Order().ShouldBe(
        [
            "click /page-offline", "focus /page-offline", "identify /page-offline", "load /page-offline", "load /page-online", "meta /page-offline", "track /page-offline",
        ]);
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();
}

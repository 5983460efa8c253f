using System.Net;
using Guidepost.Testing;

namespace Guidepost.E2E.Tests;

/// <summary>An application's agent settings reach its pages through the served file: with text capture on and an
/// extra attribute listed, a click's stored element path carries the text and the attribute.</summary>
public sealed class GuidepostAgentSettingsTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync(kestrel: true);

    [SkippableFact]
    public async Task Text_capture_and_extra_attributes_follow_the_application_settings()
    {
        BrowserTools.Require(BrowserAgent.Guidepost);
        await (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}",
            new { agent = new { captureText = true, htmlAttributes = new[] { "data-sku" } } })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var snippet = await BrowserTools.InstallSnippetAsync(_gp);
        await using var site = await StaticSite.StartAsync(path => path == "/shop" ? $$"""
            <!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head>
            <body><div class="card" data-sku="A1" data-secret="x"><button id="buy" type="button">  Buy now  </button></div>
            {{snippet}}
            <script>pendo.initialize({ visitor: { id: 'settings-visitor' } });</script>
            </body></html>
            """ : null, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(site.Origin + "/shop");
        await page.WaitForFunctionAsync("() => window.pendo && pendo.isReady && pendo.isReady()");
        await page.ClickAsync("#buy");
        await page.EvaluateAsync("() => pendo.flushNow()");

        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(100))
        {
            if ((await _gp.StoredEventsAsync()).SingleOrDefault(e => e.Type == "click") is { } click)
            {
                click.ElementPath.ShouldBe(
                    """[{"tag":"BUTTON","id":"buy","childIndex":0,"myIndex":0,"txt":"Buy now"},""" +
                    """{"tag":"DIV","cls":"card","attrs":{"data-sku":"A1"},"childIndex":0,"myIndex":0},""" +
                    """{"tag":"BODY","childIndex":1,"myIndex":2}]"""); // after <head> and the line break that follows it
                break;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no click stored");
        }
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();
}

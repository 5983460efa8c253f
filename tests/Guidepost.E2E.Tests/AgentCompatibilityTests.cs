using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Tagging.Rules;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Each agent — the unmodified Pendo agent from npm, and Guidepost's own installed by its snippet — in
/// Debian's Chromium, on a page of another origin, sends its events to Guidepost: the store then holds exactly what the
/// visitor did, the same for both agents, element paths included.</summary>
public sealed class AgentCompatibilityTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;
    private string _server = null!;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync(kestrel: true);
        _server = _gp.Admin.BaseAddress!.ToString().TrimEnd('/');
    }

    // Whitespace is deliberate: text nodes count in myIndex but not in childIndex.
    private string Page(string title, string agentScript) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>{{title}}</title></head><body><header id="top"><a href="/home" id="home-link">Home</a></header>
        <main id="content" class="page"><div class="card featured" data-sku="A1"><h2>Widget</h2> <button id="buy" class="btn primary" name="buy" type="button">Buy</button></div></main>
        {{agentScript}}
        </body></html>
        """;

    private string PendoAgent(string visitor = "visitor-1") => $$"""
        <script type="module">
          import { loadAgent } from '/static/pendo.module.js';
          const server = '{{_server}}';
          const pendo = loadAgent({
            apiKey: '{{_gp.Bootstrap.ApiKey}}', env: 'prod', server, dataHost: server, designerServer: server,
            assetHost: location.origin, assetPath: 'static', loadAsModule: true, pendoGlobalKey: 'pendo',
            disableDesignerKeyboardShortcut: true
          });
          window.pendo = pendo;
          pendo.initialize({
            visitor: { id: '{{visitor}}', email: 'v1@example.test', full_name: 'Visitor One' },
            account: { id: 'account-1', name: 'Acme' },
            dataHost: server,
            initializeImmediately: true
          });
        </script>
        """;

    /// <summary>The snippet queues <c>initialize</c> until the agent file has loaded.</summary>
    private async Task<string> GuidepostAgentAsync(string visitor = "visitor-1") => $$"""
        {{await BrowserTools.InstallSnippetAsync(_gp)}}
        <script>
          pendo.initialize({
            visitor: { id: '{{visitor}}', email: 'v1@example.test', full_name: 'Visitor One' },
            account: { id: 'account-1', name: 'Acme' }
          });
        </script>
        """;

    [SkippableTheory]
    [InlineData(BrowserAgent.Pendo)]
    [InlineData(BrowserAgent.Guidepost)]
    public async Task The_agent_records_a_visit_exactly(BrowserAgent agent)
    {
        BrowserTools.Require(agent);
        var agentScript = agent == BrowserAgent.Pendo ? PendoAgent() : await GuidepostAgentAsync();
        await using var site = await StaticSite.StartAsync(path => path is "/shop" or "/checkout" ? Page("Shop", agentScript) : null, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var dataResponses = new List<IResponse>();
        page.Response += (_, response) => { if (response.Url.StartsWith(_server + "/data/")) lock (dataResponses) dataResponses.Add(response); };

        await page.GotoAsync(site.Origin + "/shop");
        await page.WaitForFunctionAsync("() => window.pendo && window.pendo.isReady && window.pendo.isReady()");
        await WaitForStoredAsync(events => events.Any(e => e.Type == "load"));

        await page.ClickAsync("#buy");
        await page.EvaluateAsync("() => pendo.flushNow()");
        await WaitForStoredAsync(events => events.Any(e => e.Type == "click"));

        await page.EvaluateAsync("() => history.pushState({}, '', '/checkout?step=2')");
        await WaitForStoredAsync(events => events.Count(e => e.Type == "load") == 2);

        await page.EvaluateAsync("() => { pendo.track('Purchased', { plan: 'pro', amount: 42 }); pendo.flushNow(); }");
        await WaitForStoredAsync(events => events.Any(e => e.Type == "track"));

        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.pendo && window.pendo.isReady && window.pendo.isReady()");
        await WaitForStoredAsync(events => events.Count(e => e.Type == "load") == 3);
        await Task.Delay(1000); // anything re-sent on unload has arrived by now

        var stored = await StoredAsync();
        stored.Select(e => (e.Type, new Uri(e.Url!).PathAndQuery, e.TrackName)).ShouldBe(
        [
            ("identify", "/shop", null),
            ("meta", "/shop", null),
            ("load", "/shop", null),
            ("focus", "/shop", null), // Chromium focuses a button when it is clicked
            ("click", "/shop", null),
            ("load", "/checkout?step=2", null),
            ("track", "/checkout?step=2", "Purchased"),
            ("load", "/checkout?step=2", null), // the reload
        ]);

        // The clicked element and its ancestors, worked out by hand from Page(): myIndex counts text
        // nodes (the newline before <main>, the space before <button>), childIndex counts elements only,
        // and only whitelisted attributes (a button's name) are captured.
        var click = stored.Single(e => e.Type == "click");
        click.ElementPath.ShouldBe(
            """[{"tag":"BUTTON","id":"buy","cls":"btn primary","attrs":{"name":"buy"},"childIndex":1,"myIndex":2},""" +
            """{"tag":"DIV","cls":"card featured","childIndex":0,"myIndex":0},""" +
            """{"tag":"MAIN","id":"content","cls":"page","childIndex":1,"myIndex":2},""" +
            """{"tag":"BODY","childIndex":1,"myIndex":1}]""");
        JsonDocument.Parse(click.Properties!).RootElement.GetProperty("flags")[0].GetString().ShouldBe("left");

        // Feature rules run on the stored path must agree with the browser running the same selectors on
        // the live page (closest(): the clicked element or an ancestor).
        string[] selectors = ["#buy", "button.btn.primary", "[name=buy]", "main > div > button", "main > button", "body button",
            "button:nth-child(2)", "button:nth-child(1)", "main:nth-child(3)", "div.card.featured", "#content", "section button",
            "div#buy", "header a", "a, #buy", ".page .card > button"];
        var chain = ElementChain.Parse(click.ElementPath!);
        foreach (var selector in selectors)
        {
            var inBrowser = await page.EvaluateAsync<bool>("s => document.getElementById('buy').closest(s) !== null", selector);
            FeatureRule.Parse(selector).Matches(chain).ShouldBe(inBrowser, selector);
        }

        using var track = JsonDocument.Parse(stored.Single(e => e.Type == "track").Properties!);
        (track.RootElement.GetProperty("plan").GetString(), track.RootElement.GetProperty("amount").GetInt32()).ShouldBe(("pro", 42));

        stored.ShouldAllBe(e => e.VisitorId == "visitor-1" && e.AccountId == "account-1");
        stored.Select(e => e.TabId).Distinct().ShouldHaveSingleItem().ShouldNotBeNullOrEmpty();
        stored.ShouldAllBe(e => !string.IsNullOrEmpty(e.SessionId));
        stored.ShouldAllBe(e => e.RemoteIp == "127.0.0.1" && e.Os == "Linux" && e.Browser == "Chrome Headless" && e.Language == "en_US");

        var store = _gp.App.Services.GetRequiredService<IEventStore>();
        var visitor = (await store.FindEntityAsync(_gp.Target.SubscriptionId, EntityKind.Visitor, "visitor-1", CancellationToken.None))!;
        visitor.Metadata["agent"]["email"].ShouldBe("\"v1@example.test\"");
        visitor.Metadata["agent"]["full_name"].ShouldBe("\"Visitor One\"");
        visitor.Metadata["agent"]["language"].ShouldBe("\"en_US\"");
        (await store.FindEntityAsync(_gp.Target.SubscriptionId, EntityKind.Account, "account-1", CancellationToken.None))!
            .Metadata["agent"]["name"].ShouldBe("\"Acme\"");

        // Every data request succeeded; the guide requests, which both agents make as CORS requests, were allowed.
        lock (dataResponses)
        {
            dataResponses.ShouldAllBe(r => r.Status == 200);
            dataResponses.Where(r => r.Url.Contains("/data/guide.json/")).ShouldNotBeEmpty();
            dataResponses.Where(r => r.Url.Contains("/data/guide.json/")).ShouldAllBe(r => r.Headers["access-control-allow-origin"] == "*");
        }
    }

    /// <summary>A form, a link and an image, with the whitespace and attributes element paths care about.</summary>
    private static string FormPage(string agentScript) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Sign up</title></head><body>
        <main id="content"><form id="signup" class="form wide" onsubmit="event.preventDefault()">
          <label for="email">Email</label> <input id="email" name="email" type="email" placeholder="you@example.test">
          <select id="plan" name="plan"><option>free</option><option>pro</option></select>
          <textarea id="note" name="note" title="Anything else?"></textarea>
          <input id="send" type="submit" value="Sign up" class="btn">
        </form>
        <p><a id="terms" href="#terms" title="Terms">Terms</a> <img id="logo" src="/logo.png" alt="Logo"></p></main>
        {{agentScript}}
        </body></html>
        """;

    /// <summary>The Pendo agent is the second implementation: the same visitor actions on the same page must store
    /// the same DOM events, element paths and properties from both agents.</summary>
    [SkippableFact]
    public async Task Both_agents_record_a_form_the_same()
    {
        BrowserTools.Require(BrowserAgent.Pendo);
        var guidepostScript = await GuidepostAgentAsync("form-guidepost");
        await using var site = await StaticSite.StartAsync(path => path switch
        {
            "/pendo/signup" => FormPage(PendoAgent("form-pendo")),
            "/guidepost/signup" => FormPage(guidepostScript),
            _ => null,
        }, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        async Task<List<string>> VisitAsync(string agent, string visitor)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync($"{site.Origin}/{agent}/signup");
            await page.WaitForFunctionAsync("() => window.pendo && window.pendo.isReady && window.pendo.isReady()");
            await page.ClickAsync("#email");
            await page.Keyboard.TypeAsync("ada@example.test");
            await page.ClickAsync("#plan");                // the e-mail field's change, then the select's focus and click
            await page.SelectOptionAsync("#plan", "pro");  // a second change within 5 s: not recorded
            await page.ClickAsync("#note");
            await page.ClickAsync("#send");                // focus, click, submit
            await page.ClickAsync("#logo", new() { Modifiers = [KeyboardModifier.Shift] });
            await page.ClickAsync("#terms");               // a new URL (#terms): a load too
            await page.EvaluateAsync("() => pendo.flushNow()");
            async Task<List<string>> DomEventsAsync() =>
                [.. (await StoredAsync()).Where(e => e.VisitorId == visitor && e.Type is "click" or "focus" or "change" or "submit")
                    .Select(e => $"{e.Type} {new Uri(e.Url!).AbsolutePath} {e.ElementPath} {e.Properties}")];
            for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(200))
                if ((await DomEventsAsync()).Count(e => e.StartsWith("click ")) == 6) break;
            await page.EvaluateAsync("() => pendo.flushNow()");
            await Task.Delay(1000); // what the last clicks caused (the link's focus) has arrived
            await page.CloseAsync();
            return await DomEventsAsync();
        }

        var fromPendo = await VisitAsync("pendo", "form-pendo");
        var fromGuidepost = await VisitAsync("guidepost", "form-guidepost");
        fromPendo.Count(e => e.StartsWith("click ")).ShouldBe(6, string.Join("\n", fromPendo));
        string Differences() =>
            $"pendo:     {string.Join(", ", fromPendo.Select(e => e.Split(' ')[0]))}\nguidepost: {string.Join(", ", fromGuidepost.Select(e => e.Split(' ')[0]))}\n" +
            string.Join("\n", fromPendo.Zip(fromGuidepost).Where(pair => pair.First.Replace("/pendo/", "/") != pair.Second.Replace("/guidepost/", "/"))
                .Select(pair => $"pendo:     {pair.First}\nguidepost: {pair.Second}"));
        fromGuidepost.Select(e => e.Replace("/guidepost/", "/")).ShouldBe(fromPendo.Select(e => e.Replace("/pendo/", "/")), Differences());
    }

    private Task<List<StoredEvent>> StoredAsync() => _gp.StoredEventsAsync();

    private async Task WaitForStoredAsync(Func<List<StoredEvent>, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
            if (done(await StoredAsync())) return;
        throw new TimeoutException("The expected events were not stored within 20 seconds: " +
            string.Join(", ", (await StoredAsync()).Select(e => $"{e.Type} {e.Url}")));
    }

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();
}

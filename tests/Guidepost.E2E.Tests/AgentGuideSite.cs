using System.Net;
using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>One Guidepost, one customer site and one Chromium shared by the guide browser tests of one agent, which
/// run one after another. Each test keeps to its own pages (its guides carry page rules for them), its own visitors
/// and its own browser context, so no test sees another's guides, events or agent memory.</summary>
public abstract class AgentGuideSite : IAsyncLifetime
{
    /// <summary>How long the agent remembers locally what it showed (GUIDE_STATE_TTL, 10 s), with a margin.</summary>
    public static readonly TimeSpan AgentMemory = TimeSpan.FromSeconds(11);

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private StaticSite? _site;

    public TestInstallation Guidepost { get; private set; } = null!;

    /// <summary>The agent these tests run: the unmodified Pendo agent, or Guidepost's own.</summary>
    public abstract BrowserAgent Agent { get; }

    /// <summary>The page's script that installs the agent and identifies <paramref name="visitor"/>.</summary>
    protected abstract string AgentScript(string server, string visitor);

    /// <summary>Whether the agent shows a step again at start-up (see <see cref="GuideEventsAsync"/>).</summary>
    protected virtual bool RepeatsGuideSeenAtStartup => false;

    public async Task InitializeAsync()
    {
        Guidepost = await TestInstallation.StartAsync(kestrel: true);
        if (!BrowserTools.Available(Agent)) return;
        await PrepareAsync();
        _site = await StaticSite.StartAsync(Page, BrowserTools.PendoAgentDist);
        (_playwright, _browser) = await BrowserTools.LaunchAsync();
    }

    protected virtual Task PrepareAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_site is not null) await _site.DisposeAsync();
        await Guidepost.DisposeAsync();
    }

    /// <summary>Every path <c>/app/{area}/{visitorId}</c> is a page of the application, with the agent identifying
    /// the visitor named by its last segment. <c>#buy</c> stands away from the edges so a tooltip fits on any side; the page scrolls.</summary>
    private string? Page(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["app", _, var visitor]) return null;
        var server = Guidepost.Admin.BaseAddress!.ToString().TrimEnd('/');
        return $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>App</title>
            <style>body { margin: 0; font: 16px sans-serif; } #top { height: 40px; } #buy { position: absolute; left: 400px; top: 300px; width: 80px; height: 32px; }</style>
            </head><body>
            <header id="top"><a href="/home" id="home-link">Home</a> <button id="help" type="button">Help</button></header>
            <main id="content"><h1>Dashboard</h1><button id="buy" type="button">Buy</button><div id="long" style="height: 3000px"></div></main>
            {{AgentScript(server, visitor)}}
            </body></html>
            """;
    }

    /// <summary>Creates the guide through the REST API and makes it public; returns its id.</summary>
    public async Task<string> PublishAsync(object guide)
    {
        var created = await (await Guidepost.Admin.PostJsonAsync("/api/v1/guide", guide)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await (await Guidepost.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "public" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A fresh browser context (no agent memory) with a page at <c>/app/{area}/{visitor}</c>; the page's
    /// console is collected into <see cref="Visit.Console"/> for failure messages.</summary>
    public async Task<Visit> VisitAsync(string area, string visitor)
    {
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        var visit = new Visit(this, context, page, visitor);
        page.Console += (_, message) => { lock (visit.Console) visit.Console.Add($"[{message.Type}] {message.Text}"); };
        page.PageError += (_, error) => { lock (visit.Console) visit.Console.Add($"[pageerror] {error}"); };
        page.Response += (_, response) => { if (response.Status >= 400) lock (visit.Console) visit.Console.Add($"[http {response.Status}] {response.Url}"); };
        page.RequestFailed += (_, request) => { lock (visit.Console) visit.Console.Add($"[failed] {request.Url} {request.Failure}"); };
        page.Request += (_, request) => { lock (visit.Console) visit.Console.Add($"[request] {request.Method} {request.Url[..Math.Min(150, request.Url.Length)]}"); };
        page.RequestFinished += (_, request) => { lock (visit.Console) visit.Console.Add($"[finished] {request.Url[..Math.Min(150, request.Url.Length)]}"); };
        await visit.GoToAsync(area);
        return visit;
    }

    public string Url(string area, string visitor) => $"{_site!.Origin}/app/{area}/{visitor}";

    /// <summary>The visitor's stored events, in the order the browser made them.</summary>
    public async Task<List<StoredEvent>> StoredAsync(string visitor) =>
        [.. (await Guidepost.StoredEventsAsync()).Where(e => e.VisitorId == visitor)];

    /// <summary>The visitor's guide and poll events (not loads, clicks or identifies), one <c>guideSeen</c> per showing.</summary>
    /// <remarks>The Pendo agent asks for guides again right after it starts (its identify and metadata land after the
    /// first request); when that answer arrives while a guide is already on screen, it rebuilds its guides and shows
    /// the step again, sending a second <c>guideSeen</c> with the same reason. For that agent, such a repeat, directly
    /// after the first and before anything else happened to the step, is counted once here.</remarks>
    public async Task<List<GuideEvent>> GuideEventsAsync(string visitor)
    {
        var events = new List<GuideEvent>();
        foreach (var e in (await StoredAsync(visitor)).Where(e => e.Type.StartsWith("guide") || e.Type == "pollResponse").Select(GuideEvent.Of))
            if (!(RepeatsGuideSeenAtStartup && e.Type == "guideSeen" && events.LastOrDefault() is { Type: "guideSeen" } last
                  && last.StepId == e.StepId && last["reason"] == e["reason"]))
                events.Add(e);
        return events;
    }

    /// <summary>Waits until the visitor's guide events satisfy <paramref name="done"/>, up to 20 s.</summary>
    public async Task<List<GuideEvent>> WaitForGuideEventsAsync(string visitor, Func<List<GuideEvent>, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
            if (await GuideEventsAsync(visitor) is var events && done(events)) return events;
        throw new TimeoutException($"{visitor}'s expected guide events were not stored within 20 seconds; stored: " +
            string.Join(", ", await GuideEventsAsync(visitor)));
    }
}

/// <summary>A guide event as stored, with the properties the tests look at.</summary>
public sealed record GuideEvent(string Type, string? GuideId, string? StepId, JsonElement Props)
{
    public static GuideEvent Of(StoredEvent e)
    {
        var props = JsonDocument.Parse(e.Properties ?? "{}").RootElement.Clone();
        return new GuideEvent(e.Type, Text(props, "guide_id"), Text(props, "guide_step_id"), props);
    }

    public string? this[string property] => Text(Props, property);

    private static string? Text(JsonElement props, string name) =>
        !props.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.GetRawText();

    public override string ToString() => $"{Type}({GuideId}/{StepId} {Props.GetRawText()})";
}

/// <summary>One visitor's browser context and page.</summary>
public sealed class Visit(AgentGuideSite site, IBrowserContext context, IPage page, string visitor) : IAsyncDisposable
{
    public IPage Page { get; } = page;
    public string Visitor { get; } = visitor;
    public List<string> Console { get; } = [];

    public async Task GoToAsync(string area)
    {
        await Page.GotoAsync(site.Url(area, Visitor));
        await AgentReadyAsync();
    }

    /// <summary>Reloads once the agent has forgotten what it showed, so only the server's step state can keep
    /// guides away, and waits until the agent has the new guide list.</summary>
    public async Task ReloadAfterAgentMemoryAsync()
    {
        await Task.Delay(AgentGuideSite.AgentMemory);
        await Page.ReloadAsync();
        await AgentReadyAsync();
    }

    /// <summary>Waits for <paramref name="selector"/> to be visible; on a timeout, says what the agent logged.</summary>
    public async Task<ILocator> ShowsAsync(string selector, int timeoutMs = 20_000)
    {
        var locator = Page.Locator(selector);
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = timeoutMs });
        }
        catch (TimeoutException e)
        {
            var state = await Page.EvaluateAsync<string>("""
                () => JSON.stringify({ url: location.href, guides: (window.pendo && pendo.guides || []).map(g => ({ id: g.id, launch: g.launchMethod,
                  steps: g.steps.map(s => ({ id: s.id, rule: s.regexUrlRule, seen: s.seenState, shown: s.isShown && s.isShown() })) })),
                  last: window.pendo && pendo.lastGuideStepSeen, focus: document.hasFocus(), visibility: document.visibilityState,
                  disabled: pendo.areGuidesDisabled && pendo.areGuidesDisabled(),
                  loop: pendo.guidesProcessingThreadHandle, active: pendo.getActiveGuide && (pendo.getActiveGuide() || {}).guide?.id,
                  dom: document.querySelector('#pendo-base')?.outerHTML.slice(0, 600), shownSteps: pendo.guides.flatMap(g => g.steps).filter(s => s.isShown && s.isShown()).map(s => s.id) })
                """);
            await Page.EvaluateAsync("() => pendo.showLogHistory && pendo.showLogHistory()"); // into Console
            await Task.Delay(200);
            throw new TimeoutException($"{selector} did not show for {Visitor}. Agent: {state}\nConsole:\n{string.Join("\n", Console)}", e);
        }
        return locator;
    }

    /// <summary>Watches several turns of the agent's guide loop (every 500 ms) and checks that no guide shows.</summary>
    public async Task ShowsNoGuideAsync(TimeSpan? watch = null)
    {
        await Page.WaitForFunctionAsync("() => Array.isArray(pendo.guides)");
        var until = DateTime.UtcNow + (watch ?? TimeSpan.FromSeconds(3));
        while (DateTime.UtcNow < until)
        {
            var shown = await Page.EvaluateAsync<string?>("() => document.querySelector('#pendo-base')?.outerHTML.slice(0, 300) ?? null");
            shown.ShouldBeNull($"a guide shows for {Visitor}");
            await Task.Delay(250);
        }
    }

    private Task AgentReadyAsync() =>
        Page.WaitForFunctionAsync("() => window.pendo && window.pendo.isReady && window.pendo.isReady() && Array.isArray(pendo.guides)");

    public async Task<LayoutBox> BoxAsync(string selector) =>
        await Page.Locator(selector).BoundingBoxAsync() is { } box ? new LayoutBox(box.X, box.Y, box.Width, box.Height) : throw new InvalidOperationException($"{selector} has no box");

    public async Task<(double Width, double Height)> ViewportAsync()
    {
        var size = await Page.EvaluateAsync<double[]>("() => [document.documentElement.clientWidth, window.innerHeight]");
        return (size[0], size[1]);
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}

/// <summary>An element's box in CSS pixels of the viewport.</summary>
public sealed record LayoutBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;
}

/// <summary>The unmodified Pendo agent, as a module from npm, pointed at Guidepost (protocol §1.5).</summary>
public sealed class PendoAgentGuideSite : AgentGuideSite
{
    public override BrowserAgent Agent => BrowserAgent.Pendo;

    protected override bool RepeatsGuideSeenAtStartup => true;

    protected override string AgentScript(string server, string visitor) => $$"""
        <script type="module">
          import { loadAgent } from '/static/pendo.module.js';
          const server = '{{server}}';
          const pendo = loadAgent({
            apiKey: '{{Guidepost.Bootstrap.ApiKey}}', env: 'prod', server, dataHost: server, designerServer: server,
            assetHost: server, assetPath: '', loadAsModule: true, pendoGlobalKey: 'pendo', disableDesignerKeyboardShortcut: true
          });
          window.pendo = pendo;
          pendo.initialize({ visitor: { id: '{{visitor}}' }, account: { id: 'account-1' }, dataHost: server, initializeImmediately: true });
        </script>
        """;
}

/// <summary>Guidepost's own agent, installed by the snippet the application settings show.</summary>
public sealed class GuidepostAgentGuideSite : AgentGuideSite
{
    private string _snippet = null!;

    public override BrowserAgent Agent => BrowserAgent.Guidepost;

    protected override async Task PrepareAsync() => _snippet = await BrowserTools.InstallSnippetAsync(Guidepost);

    protected override string AgentScript(string server, string visitor) => $$"""
        {{_snippet}}
        <script>pendo.initialize({ visitor: { id: '{{visitor}}' }, account: { id: 'account-1' } });</script>
        """;
}

[CollectionDefinition(Name)]
public sealed class PendoAgentGuideCollection : ICollectionFixture<PendoAgentGuideSite>
{
    public const string Name = "Pendo agent guides";
}

[CollectionDefinition(Name)]
public sealed class GuidepostAgentGuideCollection : ICollectionFixture<GuidepostAgentGuideSite>
{
    public const string Name = "Guidepost agent guides";
}

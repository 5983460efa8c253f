using Guidepost.Testing;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Guidepost's agent stays out of the page's way (issue budgets): initializing on a page of 5,000 elements
/// causes no long task over 50 ms, and a click costs the page at most 1 ms of main-thread work. The size budget is
/// checked on the served file (AgentScriptTests).</summary>
public sealed class AgentBudgetTests : IAsyncLifetime
{
    private const double LongTaskBudgetMs = 50;
    private const double ClickBudgetMs = 1;

    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync(kestrel: true);

    /// <summary>Loads the page, then installs the agent with its snippet and initializes it, as a page does once it
    /// knows who is signed in; returns when the agent is ready and has its guides.</summary>
    private async Task<(IPage Page, double Installed)> InstallAsync(IBrowserContext context, string origin)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/big");
        (await page.EvaluateAsync<int>("() => document.body.getElementsByTagName('*').length")).ShouldBeGreaterThanOrEqualTo(BudgetPage.Elements);
        await page.WaitForTimeoutAsync(300); // the page's own parsing and layout are over
        var snippet = (await BrowserTools.InstallSnippetAsync(_gp)).Replace("<script>", "").Replace("</script>", "");
        var installed = await page.EvaluateAsync<double>($$"""
            () => {
              const at = performance.now();
              {{snippet}}
              pendo.initialize({ visitor: { id: 'budget-visitor' }, account: { id: 'budget-account' }, events: { guidesLoaded: () => window.guidesLoaded = true } });
              return at;
            }
            """);
        await page.WaitForFunctionAsync("() => window.pendo && pendo.isReady && pendo.isReady() && window.guidesLoaded === true");
        await page.WaitForTimeoutAsync(500);
        return (page, installed);
    }

    [SkippableFact]
    public async Task Initializing_on_a_page_of_5000_elements_makes_no_long_task()
    {
        BrowserTools.Require(BrowserAgent.Guidepost);
        await using var site = await StaticSite.StartAsync(path => path == "/big" ? BudgetPage.Html() : null, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        // The machine is shared and noisy: the median of three fresh page loads' longest task counts.
        var longest = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            await using var context = await browser.NewContextAsync();
            var (page, installed) = await InstallAsync(context, site.Origin);
            var tasks = await page.EvaluateAsync<double[]>("at => window.longTasks.filter(t => t.start + t.duration > at).map(t => t.duration)", installed);
            longest.Add(tasks.DefaultIfEmpty(0).Max());
        }
        longest.Order().ElementAt(1).ShouldBeLessThanOrEqualTo(LongTaskBudgetMs, $"longest task after installing the agent, per run: {string.Join(", ", longest)} ms");
    }

    [SkippableFact]
    public async Task A_click_costs_at_most_1_ms_of_main_thread_work()
    {
        BrowserTools.Require(BrowserAgent.Guidepost);
        await using var site = await StaticSite.StartAsync(path => path == "/big" ? BudgetPage.Html() : null, BrowserTools.PendoAgentDist);
        var (playwright, browser) = await BrowserTools.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync();
        var (page, _) = await InstallAsync(context, site.Origin);

        // 400 clicks on buttons all over the page, each timed around its dispatch: the agent's listeners are the
        // only ones, so the time is the agent's (capture, element path, queueing). Its events are then flushed.
        const string clicks = """
            () => {
              const buttons = [...document.querySelectorAll('button.btn')];
              const times = [];
              for (let i = 0; i < 400; i++) {
                const button = buttons[(i * 37) % buttons.length];
                const at = performance.now();
                button.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
                times.push(performance.now() - at);
              }
              return times.sort((a, b) => a - b);
            }
            """;
        var times = await page.EvaluateAsync<double[]>(clicks);
        var (median, p95) = (times[times.Length / 2], times[(int)(times.Length * 0.95)]);
        p95.ShouldBeLessThanOrEqualTo(ClickBudgetMs, $"per click: median {median:0.###} ms, 95th percentile {p95:0.###} ms, max {times[^1]:0.###} ms");

        // The clicks were captured, not skipped: all 400 reach the store.
        await page.EvaluateAsync("() => pendo.flushNow()");
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
        {
            var stored = await _gp.StoredEventsAsync();
            if (stored.Count(e => e.Type == "click") == 400) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{stored.Count(e => e.Type == "click")} of 400 clicks stored");
        }
    }

    public async Task DisposeAsync() => await _gp.DisposeAsync();
}

using System.IO.Compression;
using System.Net;
using System.Text;
using Guidepost.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Guidepost.Bench;

/// <summary>Guidepost's agent beside the unmodified Pendo agent (npm <c>@pendo/agent</c>) on the same 5,000-element
/// page, the same server process and the same Chromium: file size, main-thread work to initialize, the longest task
/// meanwhile, and main-thread time per click. Every run's 400 clicks must reach the store.</summary>
internal static class AgentScenario
{
    private const double TargetGzipKb = 25;
    private const double TargetLongTaskMs = 50;
    private const double TargetClickMs = 1;
    private const int Clicks = 400;
    // A secure context (localhost name) granted local network access: a public page could not call a loopback server.
    private const string Site = "http://site.localhost";
    private const string PendoFile = "pendo.module.min.js"; // what the package's index.js imports, so what a bundled app ships

    /// <summary>Cross-origin isolation makes <c>performance.now()</c> precise to 5 µs instead of 100 µs, for timing clicks;
    /// <c>credentialless</c> lets the page load a script from another origin that sends no CORP header.</summary>
    private static readonly Dictionary<string, string> Isolated = new() { ["Cross-Origin-Opener-Policy"] = "same-origin", ["Cross-Origin-Embedder-Policy"] = "credentialless" };

    private enum Agent { Guidepost, Pendo }

    /// <summary>One fresh browser context's measurements, times in ms.</summary>
    private sealed record Run(double TaskMs, double ScriptMs, double LongestTaskMs, double ReadyMs, double ClickMedianMs, double ClickP95Ms,
        int Requests, long BytesSent);

    public static async Task<string> RunAsync(BenchArgs args)
    {
        var repeat = args.Int("repeat", 5);
        var chromium = args.Text("chromium") ?? BrowserFiles.ChromiumPath;
        var pendoPath = Path.Combine(BrowserFiles.PendoAgentDist, PendoFile);
        if (!File.Exists(chromium)) throw new InvalidOperationException($"{chromium} is missing (apt-get install chromium).");
        if (!File.Exists(pendoPath)) throw new InvalidOperationException($"{pendoPath} is missing (npm ci --prefix tests/e2e).");

        var data = Directory.CreateTempSubdirectory("guidepost-bench-agent-").FullName;
        try
        {
            var integrationKey = "bench-" + Guid.NewGuid().ToString("N");
            await using var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>
            {
                ["Guidepost:Bootstrap:ApiKey"] = Guid.NewGuid().ToString(), ["Guidepost:Bootstrap:IntegrationKey"] = integrationKey,
                ["Guidepost:Bootstrap:AdminPassword"] = "bench-password",
            });
            using var admin = server.CreateClient();
            admin.DefaultRequestHeaders.Add(GuidepostApp.IntegrationKeyHeader, integrationKey);
            var target = await DefaultApplications.FindAsync(admin);
            var application = await (await admin.GetAsync($"/api/admin/subscriptions/{target.SubscriptionId}/applications/{target.ApplicationId}"))
                .ShouldBeJsonAsync(HttpStatusCode.OK);
            var snippet = application.GetProperty("installSnippet").GetString()!.Replace("<script>", "").Replace("</script>", "");
            var origin = server.BaseAddress.ToString().TrimEnd('/');

            var ours = await admin.GetByteArrayAsync($"/agent/static/{Uri.EscapeDataString(target.ApiKey)}/pendo.js");
            var pendo = await File.ReadAllBytesAsync(pendoPath);
            var page = Encoding.UTF8.GetBytes(BudgetPage.Html());

            var install = new Dictionary<Agent, Func<string, string>>
            {
                [Agent.Guidepost] = visitor => $"{snippet}\npendo.initialize({Identity(visitor)});",
                [Agent.Pendo] = visitor => $$"""
                    const script = document.createElement('script');
                    script.type = 'module';
                    script.textContent = `
                      import { loadAgent } from '{{Site}}/static/{{PendoFile}}';
                      const server = '{{origin}}';
                      window.pendo = loadAgent({ apiKey: '{{target.ApiKey}}', env: 'prod', server, dataHost: server, designerServer: server,
                        assetHost: '{{Site}}', assetPath: 'static', loadAsModule: true, pendoGlobalKey: 'pendo', disableDesignerKeyboardShortcut: true });
                      pendo.initialize({ ...{{Identity(visitor)}}, dataHost: server, initializeImmediately: true });`;
                    document.head.appendChild(script);
                    """,
            };

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium, Headless = true, Args = BrowserFiles.ChromiumArgs,
            });
            await using var store = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "events.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());

            var runs = new Dictionary<Agent, List<Run>> { [Agent.Guidepost] = [], [Agent.Pendo] = [] };
            // Run 0 warms the browser up and is not counted; alternating which agent goes first keeps a drift in the
            // machine's speed from favouring one of them.
            for (var r = 0; r <= repeat; r++)
                foreach (var agent in r % 2 == 0 ? new[] { Agent.Guidepost, Agent.Pendo } : [Agent.Pendo, Agent.Guidepost])
                {
                    var visitor = $"{agent}-{r}".ToLowerInvariant();
                    Console.Error.WriteLine(r == 0 ? $"Warm-up: {agent} agent..." : $"Run {r}/{repeat}: {agent} agent...");
                    var run = await VisitAsync(browser, origin, page, pendo, install[agent](visitor), visitor, store);
                    if (r > 0) runs[agent].Add(run);
                }

            return Report(ours, pendo, runs, repeat);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The <c>initialize</c> options both agents get; <c>guidesLoaded</c> ends the initialization window.</summary>
    private static string Identity(string visitor) =>
        $"{{ visitor: {{ id: '{visitor}' }}, account: {{ id: 'bench-account' }}, events: {{ guidesLoaded: () => window.agentReady() }} }}";

    /// <summary>One agent in a fresh context: load the page, install the agent, wait until it has its guides, click 400
    /// times, flush, and wait until the store holds the 400 clicks.</summary>
    private static async Task<Run> VisitAsync(IBrowser browser, string origin, byte[] html, byte[] pendo, string install, string visitor, SqliteConnection store)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["local-network-access"] });
        var page = await context.NewPageAsync();
        await page.RouteAsync(Site + "/**", route => route.Request.Url switch
        {
            Site + "/big" => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html; charset=utf-8", BodyBytes = html, Headers = Isolated }),
            Site + "/static/" + PendoFile => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/javascript", BodyBytes = pendo }),
            _ => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }),
        });
        var errors = new List<string>();
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        page.Console += (_, message) => { if (message.Type is "error" or "warning") lock (errors) errors.Add(message.Text); };
        page.RequestFailed += (_, request) => { lock (errors) errors.Add($"{request.Url}: {request.Failure}"); };
        // Playwright reports keepalive fetches but not their sizes, so what the agent sends is counted as URL + body.
        var (requests, sent) = (0, 0L);
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(origin + "/data/")) lock (errors) (requests, sent) = (requests + 1, sent + request.Url.Length + (request.PostDataBuffer?.Length ?? 0));
        };

        await page.GotoAsync(Site + "/big");
        if (!await page.EvaluateAsync<bool>("() => crossOriginIsolated")) throw new InvalidOperationException("The page is not cross-origin isolated.");
        await page.WaitForTimeoutAsync(300); // the page's own parsing and layout are over
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");

        var before = await MetricsAsync(cdp);
        // The page resolves the promise itself when guidesLoaded fires, so no polling adds work to the window.
        double[] window;
        try
        {
            window = await page.EvaluateAsync<double[]>($$"""
                () => new Promise(resolve => {
                  const at = performance.now();
                  window.agentReady = () => { if (!window.readyAt) resolve([at, window.readyAt = performance.now()]); };
                  {{install}}
                })
                """).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            lock (errors) throw new InvalidOperationException($"{visitor}: the agent did not load its guides; page errors: {string.Join("; ", errors)}", e);
        }
        var after = await MetricsAsync(cdp);
        if (!await page.EvaluateAsync<bool>("() => pendo.isReady()")) throw new InvalidOperationException($"{visitor}: guides loaded but the agent is not ready");

        await page.WaitForTimeoutAsync(500); // the window's last long task reaches the observer, and the agent's start-up work is over
        var longest = await page.EvaluateAsync<double>("([from, to]) => Math.max(0, ...window.longTasks.filter(t => t.start + t.duration > from && t.start < to).map(t => t.duration))", window);

        // Each click is timed around its dispatch: the agents' listeners are the page's only ones.
        var times = await page.EvaluateAsync<double[]>($$"""
            () => {
              const buttons = [...document.querySelectorAll('button.btn')];
              const times = [];
              for (let i = 0; i < {{Clicks}}; i++) {
                const button = buttons[(i * 37) % buttons.length];
                const at = performance.now();
                button.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
                times.push(performance.now() - at);
              }
              return times.sort((a, b) => a - b);
            }
            """);
        await page.EvaluateAsync("() => pendo.flushNow()");
        await WaitForClicksAsync(store, visitor, errors);
        lock (errors)
            return new Run((after.Task - before.Task) * 1000, (after.Script - before.Script) * 1000, longest, window[1] - window[0],
                times[times.Length / 2], times[(int)(times.Length * 0.95)], requests, sent);
    }

    private static async Task<(double Task, double Script)> MetricsAsync(ICDPSession cdp)
    {
        var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        // TaskDuration includes the time spent answering DevTools (Playwright's evaluate, these calls): not the page's work.
        return (metrics["TaskDuration"] - metrics["DevToolsCommandDuration"], metrics["ScriptDuration"]);
    }

    /// <summary>Proof the page worked: exactly the 400 clicks, and the page load, are stored for this visitor.</summary>
    private static async Task WaitForClicksAsync(SqliteConnection store, string visitor, List<string> errors)
    {
        await store.OpenAsync();
        try
        {
            using var count = store.CreateCommand();
            count.CommandText = "SELECT count(*) FILTER (WHERE type = 'click'), count(*) FILTER (WHERE type = 'load') FROM events WHERE visitor_id = $visitor;";
            count.Parameters.AddWithValue("$visitor", visitor);
            for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(200))
            {
                using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (clicks, loads) = (reader.GetInt64(0), reader.GetInt64(1));
                if (clicks == Clicks && loads >= 1) return;
                if (clicks > Clicks || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"{visitor}: the store holds {clicks} of {Clicks} clicks and {loads} page loads; page errors: {string.Join("; ", errors)}");
            }
        }
        finally
        {
            await store.CloseAsync();
        }
    }

    private static string Report(byte[] ours, byte[] pendo, Dictionary<Agent, List<Run>> runs, int repeat)
    {
        double Median(Agent agent, Func<Run, double> measure)
        {
            var values = runs[agent].Select(measure).Order().ToArray();
            return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        }
        List<string> Row(string name, double guidepost, double baseline, string format, string unit, double? atMost = null) =>
        [
            name, guidepost.ToString(format) + unit, baseline.ToString(format) + unit, baseline == 0 ? "n/a" : (guidepost / baseline).ToString("F3"),
            atMost is { } limit ? $"≤ {limit}{unit}" : "", atMost is { } max ? guidepost <= max ? "PASS" : "FAIL" : "",
        ];
        List<string> Measured(string name, Func<Run, double> measure, string format, string unit, double? atMost = null) =>
            Row(name, Median(Agent.Guidepost, measure), Median(Agent.Pendo, measure), format, unit, atMost);

        var rows = new List<IReadOnlyList<string>>
        {
            Row("agent file, minified", ours.Length / 1024.0, pendo.Length / 1024.0, "N1", " KB"),
            Row("agent file, gzip -9", Gzip(ours) / 1024.0, Gzip(pendo) / 1024.0, "N1", " KB", TargetGzipKb),
            Measured("init: main-thread task time (CDP TaskDuration)", r => r.TaskMs, "N1", " ms"),
            Measured("init: script time (CDP ScriptDuration)", r => r.ScriptMs, "N1", " ms"),
            Measured("init: longest task", r => r.LongestTaskMs, "N1", " ms", TargetLongTaskMs),
            Measured("init: wall time to guides loaded", r => r.ReadyMs, "N0", " ms"),
            Measured("per click: median", r => r.ClickMedianMs, "N3", " ms", TargetClickMs),
            Measured("per click: 95th percentile", r => r.ClickP95Ms, "N3", " ms", TargetClickMs),
            Measured("visit: requests to the server", r => r.Requests, "N0", ""),
            Measured("visit: bytes sent to the server (URLs + bodies)", r => r.BytesSent / 1024.0, "N1", " KB"),
        };
        var table = MarkdownTable.Render(["measure", "Guidepost agent", "Pendo agent (baseline)", "Guidepost / Pendo", "target", "result"], rows);
        return table + $"\nMedians of {repeat} fresh browser contexts per agent, alternating which goes first; page of 5,000 elements, " +
            $"{Clicks} dispatched clicks per run, every run's {Clicks} clicks and page load found in the store. " +
            $"Pendo: @pendo/agent dist/{PendoFile}; Guidepost: the file the server serves. A longest task of 0 means none over 50 ms.\n";
    }

    private static long Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = 9 }, leaveOpen: true)) gzip.Write(bytes);
        return output.Length;
    }
}

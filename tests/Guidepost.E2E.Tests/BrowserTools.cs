using Guidepost.Testing;
using Microsoft.Playwright;

namespace Guidepost.E2E.Tests;

/// <summary>Debian's Chromium through Playwright (never a downloaded browser), and the packages the
/// browser tests load, installed by scripts/test.sh into tests/e2e/node_modules.</summary>
internal static class BrowserTools
{
    public const string ChromiumPath = BrowserFiles.ChromiumPath;

    public static string PendoAgentDist => BrowserFiles.PendoAgentDist;

    public static bool Available(BrowserAgent agent) => Missing(agent).Count == 0;

    /// <summary>Skips the test when a browser prerequisite is missing, unless the test script demands it.</summary>
    public static void Require(BrowserAgent agent)
    {
        var missing = Missing(agent);
        if (missing.Count == 0) return;
        var message = "Missing " + string.Join(" and ", missing) + "; scripts/test.sh installs them.";
        if (Environment.GetEnvironmentVariable("GUIDEPOST_TEST_REQUIRE_SERVERS") == "1") throw new InvalidOperationException(message);
        Skip.If(true, message);
    }

    private static List<string> Missing(BrowserAgent agent)
    {
        var missing = new List<string>();
        if (!File.Exists(ChromiumPath)) missing.Add(ChromiumPath + " (apt-get install chromium)");
        if (agent == BrowserAgent.Pendo && !File.Exists(Path.Combine(PendoAgentDist, "pendo.module.js")))
            missing.Add("@pendo/agent (npm ci --prefix tests/e2e)");
        return missing;
    }

    /// <summary>The install snippet of the installation's default application, as its settings show it.</summary>
    public static async Task<string> InstallSnippetAsync(TestInstallation guidepost)
    {
        var application = await (await guidepost.Admin.GetAsync(
                $"/api/admin/subscriptions/{guidepost.Target.SubscriptionId}/applications/{guidepost.Target.ApplicationId}"))
            .ShouldBeJsonAsync(System.Net.HttpStatusCode.OK);
        return application.GetProperty("installSnippet").GetString()!;
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = BrowserFiles.ChromiumArgs,
        });
        return (playwright, browser);
    }
}

/// <summary>Which agent a browser test's pages run.</summary>
public enum BrowserAgent
{
    /// <summary>The unmodified Pendo agent from npm.</summary>
    Pendo,

    /// <summary>Guidepost's own agent, served by the server under test.</summary>
    Guidepost,
}

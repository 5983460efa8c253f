namespace Guidepost.Testing;

/// <summary>What the browser tests and the agent benchmark need on disk: Debian's Chromium (never a downloaded
/// browser), the flags that keep it off the network, and the real Pendo agent scripts/test.sh installs into
/// tests/e2e/node_modules for comparison.</summary>
public static class BrowserFiles
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Without these, Chromium keeps trying to reach Google's services, which this network refuses.</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>The folder of the installed <c>@pendo/agent</c> package's <c>dist</c>.</summary>
    public static string PendoAgentDist => Path.Combine(RepositoryRoot, "tests", "e2e", "node_modules", "@pendo", "agent", "dist");

    private static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Guidepost.slnx"))) return folder.FullName;
            throw new InvalidOperationException("This runs outside the repository.");
        }
    }
}

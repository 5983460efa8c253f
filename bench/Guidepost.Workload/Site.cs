using System.Text;

namespace Guidepost.Workload;

/// <summary>The generated application: its pages, the clickable features on them (each an element chain
/// as the agent serialises it, up to BODY) and its track-event types.</summary>
internal sealed class Site
{
    private static readonly string[] Sections = ["dashboard", "reports", "settings", "accounts", "billing", "projects", "inbox", "admin"];
    private static readonly string[] Tags = ["DIV", "SECTION", "UL", "LI", "SPAN", "NAV", "FORM", "TABLE", "TR", "TD"];
    private static readonly string[] Leaves = ["BUTTON", "A", "INPUT", "SPAN", "IMG"];

    public Site(WorkloadOptions options, Random random)
    {
        Pages = [.. Enumerable.Range(0, options.Pages).Select(i =>
            $"https://app.example.com/{Sections[i % Sections.Length]}/{i}" + (i % 5 == 0 ? $"?tab={i % 3}&sort=name" : ""))];
        FeaturePage = [.. Enumerable.Range(0, options.Features).Select(_ => random.Next(options.Pages))];
        FeatureTargets = [.. Enumerable.Range(0, options.Features).Select(i => ElementChain(i, random))];
        TrackTypes = [.. Enumerable.Range(0, options.TrackTypes).Select(i => $"Event {i}")];
    }

    public string[] Pages { get; }
    public int[] FeaturePage { get; }

    /// <summary>The JSON of <c>props.target</c> for a click on each feature.</summary>
    public string[] FeatureTargets { get; }

    public string[] TrackTypes { get; }

    private static string ElementChain(int feature, Random random)
    {
        var depth = random.Next(5, 16);
        var chain = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            var tag = level == 0 ? Leaves[feature % Leaves.Length] : level == depth - 1 ? "BODY" : Tags[random.Next(Tags.Length)];
            var id = level == 0 && feature % 3 == 0 ? $"f{feature}" : random.Next(6) == 0 ? $"n{random.Next(1000)}" : "";
            var cls = random.Next(3) == 0 ? "" : $"c{random.Next(50)} x{random.Next(20)}";
            var attrs = tag switch
            {
                "BUTTON" => $$"""{"name":"b{{feature}}"}""",
                "A" => $$"""{"href":"https://app.example.com/link/{{feature}}"}""",
                "INPUT" => $$"""{"name":"i{{feature}}","type":"text"}""",
                _ => "{}",
            };
            var childIndex = random.Next(8);
            chain.Append($$"""{"tag":"{{tag}}","id":"{{id}}","cls":"{{cls}}","title":null,"attrs":{{attrs}},"myIndex":{{childIndex * 2 + 1}},"childIndex":{{childIndex}}""");
            if (level < depth - 1) chain.Append(",\"parentElem\":");
        }
        chain.Append('}', depth);
        return chain.ToString();
    }
}

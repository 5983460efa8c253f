using Guidepost.Tagging.Rules;

namespace Guidepost.Tagging.Tests.Rules;

public sealed class PageRuleTests
{
    public static readonly TheoryData<string, string, bool> Documented = new()
    {
        // any protocol, any host
        { "//*/reports", "https://app.example.com/reports", true },
        { "//*/reports", "http://staging.example.com/reports/", true },
        { "//*/reports", "https://app.example.com/reports/2024", false },
        { "//*/reports", "https://app.example.com/Reports", false }, // paths are case-sensitive
        { "//*", "https://app.example.com/", true },
        { "//*", "https://app.example.com", true },
        { "//*", "https://app.example.com/x", false },
        // a fixed host is case-insensitive; a fixed protocol is kept
        { "https://App.Example.com/home", "https://app.example.com/home", true },
        { "https://app.example.com/home", "http://app.example.com/home", false },
        { "//*.example.com/home", "https://eu.example.com/home", true },
        { "//*.example.com/home", "https://eu.example.org/home", false },
        // * stays within a segment
        { "//*/users/*/profile", "https://a.b/users/42/profile", true },
        { "//*/users/*/profile", "https://a.b/users/42/7/profile", false },
        { "//*/users/*", "https://a.b/users/42", true },
        { "//*/users/*", "https://a.b/users/42/edit", false },
        { "//*/files/*.pdf", "https://a.b/files/q3-report.pdf", true },
        { "//*/files/*.pdf", "https://a.b/files/q3-report.docx", false },
        // ** ignores everything after (starts with)
        { "//*/admin/**", "https://a.b/admin/users/7?tab=x#y", true },
        { "//*/admin/**", "https://a.b/admin", true },
        { "//*/admin/**", "https://a.b/administrator", false },
        // contains
        { "//*/users/~contains:dashboard", "https://a.b/users/my-dashboard/today", true },
        { "//*/users/~contains:dashboard", "https://a.b/users/profile", false },
        { "//*/users/~contains:dashboard", "https://a.b/users/x?view=dashboard", false }, // the path, not the query
        // parameterised segment
        { "//*/projects/*parameter*/board", "https://a.b/projects/apollo/board", true },
        { "//*/projects/*parameter*/board", "https://a.b/projects//board", false },
        // query conditions: presence, value, several, in any order; other parameters ignored
        { "//*/search?mobile", "https://a.b/search?mobile", true },
        { "//*/search?mobile", "https://a.b/search?q=x&mobile=1", true },
        { "//*/search?mobile", "https://a.b/search?mobiles=1", false },
        { "//*/search?mobile", "https://a.b/search", false },
        { "//*/search?lang=en", "https://a.b/search?x=1&lang=en#top", true },
        { "//*/search?lang=en", "https://a.b/search?lang=english", false },
        { "//*/search?mobile&lang=en", "https://a.b/search?lang=en&mobile", true },
        { "//*/search?mobile&lang=en", "https://a.b/search?lang=en", false },
        { "//*/search", "https://a.b/search?q=anything", true },
        // fragments
        { "//*/#page1", "https://a.b/#page1", true },
        { "//*/#page1", "https://a.b/#page2", false },
        { "//*/app#/settings/users", "https://a.b/app#/settings/users", true },
        { "//*/app#/settings/users", "https://a.b/app#/settings", false },
        { "//*/app", "https://a.b/app#/anything", true },
        // literal characters that mean something in a regular expression
        { "//*/a+b/(x)", "https://a.b/a+b/(x)", true },
        { "//*/a+b/(x)", "https://a.b/aab/x", false },
    };

    [Theory]
    [MemberData(nameof(Documented))]
    public void Urls_match_as_pendo_documents(string rule, string url, bool matches) =>
        PageRule.Parse(rule).Matches(url).ShouldBe(matches, $"{rule} vs {url}: {PageRule.Parse(rule).Pattern}");

    /// <summary>Guides send <see cref="PageRule.JsPattern"/> to the browser, which tests it with its own regular
    /// expressions against the URL with its host in lower case: Node's engine must agree with every documented case.</summary>
    [Fact]
    public void Browsers_match_the_javascript_form_the_same_way()
    {
        var cases = Documented.Select(row => (Rule: (string)row[0], Url: (string)row[1], Matches: (bool)row[2])).ToList();
        var script = "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));" +
            "console.log(JSON.stringify(cases.map(c => new RegExp(c.pattern).test(c.url))));";
        var input = System.Text.Json.JsonSerializer.Serialize(cases.Select(c => new { pattern = PageRule.Parse(c.Rule).JsPattern, url = LowerCaseHost(c.Url) }));
        var start = new System.Diagnostics.ProcessStartInfo("node", ["-e", script]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var node = System.Diagnostics.Process.Start(start)!;
        node.StandardInput.Write(input);
        node.StandardInput.Close();
        var answers = System.Text.Json.JsonSerializer.Deserialize<bool[]>(node.StandardOutput.ReadToEnd())!;
        node.WaitForExit();
        for (var i = 0; i < cases.Count; i++)
            answers[i].ShouldBe(cases[i].Matches, $"{cases[i].Rule} vs {cases[i].Url}: {PageRule.Parse(cases[i].Rule).JsPattern}");
    }

    private static string LowerCaseHost(string url)
    {
        var hostStart = url.IndexOf("//", StringComparison.Ordinal) + 2;
        var hostEnd = url.IndexOfAny(['/', '?', '#'], hostStart);
        if (hostEnd < 0) hostEnd = url.Length;
        return url[..hostStart] + url[hostStart..hostEnd].ToLowerInvariant() + url[hostEnd..];
    }

    [Fact]
    public void A_parameterised_segment_names_its_value() =>
        PageRule.Parse("//*/projects/*parameter*/board").Parameter("https://a.b/projects/apollo/board").ShouldBe("apollo");

    [Theory]
    [InlineData("", "cannot be empty", null)]
    [InlineData("reports/*", "starts with //", 0)]
    [InlineData("//*/a b", "whitespace", 5)]
    [InlineData("///reports", "host is missing", 2)]
    [InlineData("//*/admin/**/users", "must end the path", 10)]
    [InlineData("//*/admin/**?x", "nothing can follow **", 10)]
    [InlineData("//*/a**b", "must stand alone", 5)]
    [InlineData("//*/users/~contains:", "needs the text", 10)]
    [InlineData("//*/users/~contains:x/more", "must end the path", 10)]
    [InlineData("//*/users/x~contains:y", "must start a path segment", 11)]
    [InlineData("//*/search?", "parameter name", 10)]
    [InlineData("//*/search?=x", "needs a parameter name", 10)]
    [InlineData("//*/search?q=*", "cannot contain wildcards", 11)]
    [InlineData("//*/#/users/*", "cannot follow #", 12)]
    public void A_bad_rule_is_explained(string rule, string problem, int? position)
    {
        PageRule.TryParse(rule, out _, out var error).ShouldBeFalse();
        error!.Problem.ShouldContain(problem);
        error.Position.ShouldBe(position);
    }
}

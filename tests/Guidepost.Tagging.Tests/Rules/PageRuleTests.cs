using Guidepost.Tagging.Rules;

namespace Guidepost.Tagging.Tests.Rules;

public sealed class PageRuleTests
{
    [Theory]
    // any protocol, any host
    [InlineData("//*/reports", "https://app.example.com/reports", true)]
    [InlineData("//*/reports", "http://staging.example.com/reports/", true)]
    [InlineData("//*/reports", "https://app.example.com/reports/2024", false)]
    [InlineData("//*/reports", "https://app.example.com/Reports", false)] // paths are case-sensitive
    [InlineData("//*", "https://app.example.com/", true)]
    [InlineData("//*", "https://app.example.com", true)]
    [InlineData("//*", "https://app.example.com/x", false)]
    // a fixed host is case-insensitive; a fixed protocol is kept
    [InlineData("https://App.Example.com/home", "https://app.example.com/home", true)]
    [InlineData("https://app.example.com/home", "http://app.example.com/home", false)]
    [InlineData("//*.example.com/home", "https://eu.example.com/home", true)]
    [InlineData("//*.example.com/home", "https://eu.example.org/home", false)]
    // * stays within a segment
    [InlineData("//*/users/*/profile", "https://a.b/users/42/profile", true)]
    [InlineData("//*/users/*/profile", "https://a.b/users/42/7/profile", false)]
    [InlineData("//*/users/*", "https://a.b/users/42", true)]
    [InlineData("//*/users/*", "https://a.b/users/42/edit", false)]
    [InlineData("//*/files/*.pdf", "https://a.b/files/q3-report.pdf", true)]
    [InlineData("//*/files/*.pdf", "https://a.b/files/q3-report.docx", false)]
    // ** ignores everything after (starts with)
    [InlineData("//*/admin/**", "https://a.b/admin/users/7?tab=x#y", true)]
    [InlineData("//*/admin/**", "https://a.b/admin", true)]
    [InlineData("//*/admin/**", "https://a.b/administrator", false)]
    // contains
    [InlineData("//*/users/~contains:dashboard", "https://a.b/users/my-dashboard/today", true)]
    [InlineData("//*/users/~contains:dashboard", "https://a.b/users/profile", false)]
    [InlineData("//*/users/~contains:dashboard", "https://a.b/users/x?view=dashboard", false)] // the path, not the query
    // parameterised segment
    [InlineData("//*/projects/*parameter*/board", "https://a.b/projects/apollo/board", true)]
    [InlineData("//*/projects/*parameter*/board", "https://a.b/projects//board", false)]
    // query conditions: presence, value, several, in any order; other parameters ignored
    [InlineData("//*/search?mobile", "https://a.b/search?mobile", true)]
    [InlineData("//*/search?mobile", "https://a.b/search?q=x&mobile=1", true)]
    [InlineData("//*/search?mobile", "https://a.b/search?mobiles=1", false)]
    [InlineData("//*/search?mobile", "https://a.b/search", false)]
    [InlineData("//*/search?lang=en", "https://a.b/search?x=1&lang=en#top", true)]
    [InlineData("//*/search?lang=en", "https://a.b/search?lang=english", false)]
    [InlineData("//*/search?mobile&lang=en", "https://a.b/search?lang=en&mobile", true)]
    [InlineData("//*/search?mobile&lang=en", "https://a.b/search?lang=en", false)]
    [InlineData("//*/search", "https://a.b/search?q=anything", true)]
    // fragments
    [InlineData("//*/#page1", "https://a.b/#page1", true)]
    [InlineData("//*/#page1", "https://a.b/#page2", false)]
    [InlineData("//*/app#/settings/users", "https://a.b/app#/settings/users", true)]
    [InlineData("//*/app#/settings/users", "https://a.b/app#/settings", false)]
    [InlineData("//*/app", "https://a.b/app#/anything", true)]
    // literal characters that mean something in a regular expression
    [InlineData("//*/a+b/(x)", "https://a.b/a+b/(x)", true)]
    [InlineData("//*/a+b/(x)", "https://a.b/aab/x", false)]
    public void Urls_match_as_pendo_documents(string rule, string url, bool matches) =>
        PageRule.Parse(rule).Matches(url).ShouldBe(matches, $"{rule} vs {url}: {PageRule.Parse(rule).Pattern}");

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

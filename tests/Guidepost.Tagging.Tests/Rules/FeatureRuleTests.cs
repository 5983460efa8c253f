using Guidepost.Tagging.Rules;

namespace Guidepost.Tagging.Tests.Rules;

public sealed class FeatureRuleTests
{
    // What the Pendo agent captured for a click on <button id="buy"> in this page (see the browser test):
    // <body><header>…</header> <main id="content" class="page"><div class="card featured" data-sku="A1">
    // <h2>Widget</h2> <button id="buy" class="btn primary" name="buy" type="button">Buy</button></div></main></body>
    private const string BuyButton =
        """[{"tag":"BUTTON","id":"buy","cls":"btn primary","attrs":{"name":"buy"},"childIndex":1,"myIndex":2},""" +
        """{"tag":"DIV","cls":"card featured","childIndex":0,"myIndex":0},""" +
        """{"tag":"MAIN","id":"content","cls":"page","childIndex":1,"myIndex":2},""" +
        """{"tag":"BODY","childIndex":1,"myIndex":1}]""";

    [Theory]
    [InlineData("#buy", true)]
    [InlineData("button", true)]
    [InlineData("BUTTON", true)] // HTML tag names are case-insensitive
    [InlineData("button.btn.primary", true)]
    [InlineData("button.secondary", false)]
    [InlineData("[name=buy]", true)]
    [InlineData("button[name='sell']", false)]
    [InlineData("main > div > button", true)]
    [InlineData("main > button", false)]
    [InlineData("body button", true)]
    [InlineData("#content .card button#buy", true)]
    [InlineData("button:nth-child(2)", true)]
    [InlineData("button:nth-child(1)", false)]
    [InlineData("main:nth-child(2)", true)]
    [InlineData("div.card", true)]            // an ancestor of the clicked element counts
    [InlineData("#content", true)]
    [InlineData("section button", false)]
    [InlineData("div#buy", false)]
    [InlineData("a, #buy", true)]             // a selector list matches when any part does
    [InlineData("button:contains('Buy')", false)] // no text was captured
    [InlineData("gp-sibling", false)]         // position placeholders are never the clicked element or an ancestor
    public void A_selector_matches_the_clicked_element_or_an_ancestor(string selector, bool matches) =>
        FeatureRule.Parse(selector).Matches(ElementChain.Parse(BuyButton)).ShouldBe(matches);

    [Fact]
    public void Captured_text_is_matched_by_contains()
    {
        var chain = ElementChain.Parse("""[{"tag":"A","id":"","cls":"nav-link","txt":"Billing settings","attrs":{"href":"/billing"}},{"tag":"NAV"},{"tag":"BODY"}]""");
        FeatureRule.Parse("a:contains('Billing')").Matches(chain).ShouldBeTrue();
        FeatureRule.Parse("nav:contains('Billing')").Matches(chain).ShouldBeTrue();
        FeatureRule.Parse("a:contains('Invoices')").Matches(chain).ShouldBeFalse();
        FeatureRule.Parse("a[href='/billing']").Matches(chain).ShouldBeTrue();
    }

    [Fact]
    public void Odd_captured_names_do_not_break_matching()
    {
        var chain = ElementChain.Parse("""[{"tag":"#shadow-root"},{"tag":"MY-WIDGET","attrs":{"data-x":"1","1bad":"y"}},{"tag":"BODY"}]""");
        FeatureRule.Parse("my-widget[data-x='1']").Matches(chain).ShouldBeTrue();
        FeatureRule.Parse("div").Matches(chain).ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("button:hover-ish", "not a CSS selector")]
    [InlineData("<<button", "not a CSS selector")]
    [InlineData("div >", "not a CSS selector")]
    public void A_bad_selector_is_explained(string selector, string problem)
    {
        FeatureRule.TryParse(selector, out _, out var error).ShouldBeFalse();
        error!.Problem.ShouldContain(problem);
    }
}

using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

/// <summary>aggregation-api.md §4.1: null is false in &amp;&amp; and ||, a value of its own in == and
/// !=, and makes every other operator null.</summary>
public class NullRuleTests
{
    [Theory]
    [InlineData("(true && null) == false", true)]
    [InlineData("null == null", true)]
    [InlineData("null != false", true)]
    [InlineData("1 + null == null", true)]
    [InlineData("null == false", false)]
    [InlineData("null == 0", false)]
    [InlineData("null != null", false)]
    [InlineData("null && true", false)]
    [InlineData("null || true", true)]
    [InlineData("null || null", false)]
    [InlineData("missing == null", true)]
    [InlineData("nil == null", true)]
    [InlineData("!isNull(missing) || true", true)]
    public void Null_rules(string text, bool expected) => Run(text).ShouldBe(expected);

    [Theory]
    [InlineData("1 + null")]
    [InlineData("null - 1")]
    [InlineData("2 * missing")]
    [InlineData("missing / 2")]
    [InlineData("missing % 2")]
    [InlineData("\"a\" + null")]
    [InlineData("-missing")]
    [InlineData("!missing")]
    [InlineData("missing < 1")]
    [InlineData("\"a\" >= missing")]
    [InlineData("missing[0]")]
    [InlineData("list[missing]")]
    [InlineData("missing[1:]")]
    [InlineData("missing.member")]
    [InlineData("len(missing)")]
    [InlineData("toLowerCase(missing)")]
    [InlineData("startsWith(missing, \"a\")")]
    [InlineData("dateAdd(missing, 1, \"days\")")]
    public void Every_other_operator_gives_null_for_null(string text) =>
        Run(text, new Row { ["list"] = List(1d) }).ShouldBeNull();

    [Fact]
    public void A_null_comparison_does_not_pass_a_filter()
    {
        Expression("missing > 3").ShouldBeFalse();
        Expression("!(missing > 3)").ShouldBeFalse();
    }

    private static bool Expression(string text) =>
        Guidepost.Query.Aggregations.Expressions.Expression.IsTrue(Run(text));
}

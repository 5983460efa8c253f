using Guidepost.Query.Aggregations.Expressions;
using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

/// <summary>Expressions as they appear in aggregation-api.md (Pendo's docs, ETL files and real
/// pipelines).</summary>
public class ReferenceExampleTests
{
    private static bool Keeps(string filter, Row row) => Expression.IsTrue(Run(filter, row));

    [Fact]
    public void Filter_on_events_and_account()
    {
        const string filter = "numEvents > 10 && !isNull(accountId)";
        Keeps(filter, new Row { ["numEvents"] = 11d, ["accountId"] = "acme" }).ShouldBeTrue();
        Keeps(filter, new Row { ["numEvents"] = 11d, ["accountId"] = null }).ShouldBeFalse();
        Keeps(filter, new Row { ["numEvents"] = 11d }).ShouldBeFalse();
        Keeps(filter, new Row { ["numEvents"] = 10d, ["accountId"] = "acme" }).ShouldBeFalse();
    }

    [Fact]
    public void Backtick_and_escaped_strings()
    {
        Keeps("visitorId == `exampleVisitor`", new Row { ["visitorId"] = "exampleVisitor" }).ShouldBeTrue();
        Keeps("accountId == \"x\"", new Row { ["accountId"] = "x" }).ShouldBeTrue();
        Keeps("id==`yourGuideId`", new Row { ["id"] = "other" }).ShouldBeFalse();
        Keeps("type == \"guideSeen\"", new Row { ["type"] = "guideSeen" }).ShouldBeTrue();
    }

    [Fact]
    public void ETL_arithmetic_on_now() =>
        Run("now() - 30 * 1000 * 60 *60 * 24").ShouldBe(1_697_408_000_000d);

    [Fact]
    public void New_users_in_the_last_7_days()
    {
        const string filter = "first >= now() - 7 * 1000 * 60 *60 * 24";
        Keeps(filter, new Row { ["first"] = (double)Now - 86_400_000 }).ShouldBeTrue();
        Keeps(filter, new Row { ["first"] = (double)Now - 8 * 86_400_000d }).ShouldBeFalse();
    }

    [Fact]
    public void Map_over_a_path()
    {
        var row = new Row { ["path"] = List(new Row { ["items"] = List("a") }, new Row { ["items"] = List("b", "c") }) };
        Run("map(x, path, x.items)", row).ShouldBe(List(List("a"), List("b", "c")));
    }

    [Fact]
    public void Select_values_from_objects()
    {
        var guide = new Row { ["polls"] = List(new Row { ["id"] = "poll1" }), ["steps"] = List(new Row { ["type"] = "banner" }, new Row()) };
        Run("polls[0].id", guide).ShouldBe("poll1");
        Run("len(steps)", guide).ShouldBe(2d);
        Run("steps[0].type", guide).ShouldBe("banner");
        Run("numEvents / numMinutes", new Row { ["numEvents"] = 30d, ["numMinutes"] = 4d }).ShouldBe(7.5);
    }

    [Fact]
    public void Nested_metadata_and_parameters()
    {
        var row = new Row
        {
            ["metadata"] = new Row { ["auto"] = new Row { ["lastvisit"] = 1693540800000d }, ["agent"] = new Row { ["plan"] = "enterprise" } },
            ["parameters"] = new Row { ["parameter"] = "q" },
            ["itemSeenInfo"] = new Row { ["lastUsed"] = 5d },
            ["browserTime"] = 4d,
        };
        Keeps("metadata.agent.plan == \"enterprise\"", row).ShouldBeTrue();
        Keeps("metadata.auto.lastvisit >= date(2023, 9, 1)", row).ShouldBeTrue();
        Keeps("!isNull(parameters.parameter)", row).ShouldBeTrue();
        Keeps("itemSeenInfo.lastUsed >= browserTime", row).ShouldBeTrue();
        Keeps("isNil(group.id)", row).ShouldBeTrue();
    }

    [Fact]
    public void Anonymous_visitors_and_poll_scores()
    {
        Keeps("startsWith(visitorId, `_PENDO_T_`)", new Row { ["visitorId"] = "_PENDO_T_1" }).ShouldBeTrue();
        Keeps("response >= 9", new Row { ["response"] = 10d }).ShouldBeTrue();
        Keeps("excluded != true", new Row()).ShouldBeTrue();
        Keeps("server == \"__apitrackevent__\"", new Row { ["server"] = "__apitrackevent__" }).ShouldBeTrue();
    }

    [Fact]
    public void Time_series_bounds()
    {
        Run("date(2023, 9, 5, 12, 44, 35)").ShouldBe(1693932275000d);
        Run("startOfPeriod(\"monthly\", now())").ShouldBe(Utc(2023, 11, 1, 4));
        Run("startOfPeriod(\"dayRange\", now())").ShouldBe(Utc(2023, 11, 14, 5));
        Run("expandAppIds(`*`)").ShouldBe(List(-323232d, 5d));
    }

    [Fact]
    public void Chained_comparisons_replace_in()
    {
        const string filter = "pageId == \"a\" || pageId == \"b\"";
        Keeps(filter, new Row { ["pageId"] = "b" }).ShouldBeTrue();
        Keeps(filter, new Row { ["pageId"] = "c" }).ShouldBeFalse();
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(1d, true)]
    [InlineData(0d, false)]
    [InlineData(null, false)]
    [InlineData("true", false)]
    public void IsTrue_keeps_true_and_non_zero_numbers(object? value, bool expected) => Expression.IsTrue(value).ShouldBe(expected);

    [Fact]
    public void An_expression_is_safe_to_share_between_threads()
    {
        var expression = Expression.Parse("map(x, l, x * k)");
        Parallel.For(0, 200, i =>
        {
            var row = new Row { ["l"] = List(1d, 2d, 3d), ["k"] = (double)i };
            expression.Evaluate(row, Context()).ShouldBe(List((double)i, 2d * i, 3d * i));
        });
    }
}

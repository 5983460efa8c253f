using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

public class OperatorTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7d)]
    [InlineData("(1 + 2) * 3", 9d)]
    [InlineData("10 - 4 - 3", 3d)]
    [InlineData("8 / 4 / 2", 1d)]
    [InlineData("7 % 4 * 2", 6d)]
    [InlineData("10 - 2 * 3 % 4", 8d)]
    [InlineData("-2 * 3", -6d)]
    [InlineData("- -3", 3d)]
    [InlineData("-(1 + 2)", -3d)]
    [InlineData("2 - -1", 3d)]
    [InlineData("7 / 2", 3.5d)]
    [InlineData("1.5e3 + .5", 1500.5d)]
    [InlineData("2E-1 * 10", 2d)]
    [InlineData("-7 % 3", -1d)]
    public void Arithmetic_follows_C_precedence_in_floats(string text, double expected) => Run(text).ShouldBe(expected);

    [Theory]
    [InlineData("!true == false", true)]
    [InlineData("1 < 2 == true", true)]
    [InlineData("1 == 1 != false", true)]
    [InlineData("true || false && false", true)]
    [InlineData("false && true || true", true)]
    [InlineData("(true || false) && false", false)]
    [InlineData("1 + 2 < 4", true)]
    [InlineData("2 * 3 >= 6 && 1 != 2", true)]
    [InlineData("!(1 < 2) || 3 > 2", true)]
    [InlineData("1 <= 1 && 1 >= 1 && !(1 < 1) && !(1 > 1)", true)]
    [InlineData("\"abc\" < \"abd\"", true)]
    [InlineData("\"B\" < \"a\"", true)]
    [InlineData("\"a\" + \"b\" == \"ab\"", true)]
    [InlineData("2 && 0", false)]
    [InlineData("0 || 0.5", true)]
    [InlineData("[1, 2] == [1, 2]", true)]
    [InlineData("[1, 2] == [2, 1]", false)]
    [InlineData("1 == \"1\"", false)]
    [InlineData("1 != \"1\"", true)]
    [InlineData("0/0 < 1", false)]
    public void Comparisons_and_logic_follow_C_precedence(string text, bool expected) => Run(text).ShouldBe(expected);

    [Fact]
    public void Division_by_zero_is_infinite_as_in_floats() => Run("1 / 0").ShouldBe(double.PositiveInfinity);

    [Theory]
    [InlineData("\"a\" * 2", "'*'", "string * number")]
    [InlineData("\"a\" - \"b\"", "'-'", "string - string")]
    [InlineData("\"a\" + 1", "'+'", "string + number")]
    [InlineData("true + 1", "'+'", "boolean + number")]
    [InlineData("!5", "'!'", "number")]
    [InlineData("!\"x\"", "'!'", "string")]
    [InlineData("-\"x\"", "'-'", "string")]
    [InlineData("\"a\" < 1", "'<'", "string < number")]
    [InlineData("true > false", "'>'", "boolean > boolean")]
    [InlineData("3 > 2 > 1", "'>'", "boolean > number")]
    [InlineData("[1] <= [2]", "'<='", "list <= list")]
    [InlineData("\"a\" && true", "'&&'", "string")]
    [InlineData("false || [1]", "'||'", "list")]
    public void Type_errors_name_the_operator_and_the_types(string text, string op, string types)
    {
        var message = Fails(text);
        message.ShouldContain(op);
        message.ShouldContain(types);
    }

    [Fact]
    public void A_constant_type_error_still_fails_only_when_evaluated()
    {
        var expression = Guidepost.Query.Aggregations.Expressions.Expression.Parse("\"a\" * 2");
        Should.Throw<Guidepost.Query.Aggregations.Expressions.ExpressionException>(() => expression.Evaluate(new Row(), Context()));
    }

    [Fact]
    public void And_and_or_stop_at_the_first_operand_that_decides()
    {
        Run("false && \"not checked\"").ShouldBe(false);
        Run("true || \"not checked\"").ShouldBe(true);
    }

    [Theory]
    [InlineData("`a\\b`", "a\\b")]
    [InlineData("\"say \\\"hi\\\"\\n\"", "say \"hi\"\n")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"\\u00e9\"", "é")]
    public void String_literals_unescape_double_quotes_only(string text, string expected) => Run(text).ShouldBe(expected);

    [Fact]
    public void List_literals_evaluate_their_items()
    {
        Run("[1, 1+2, sum(a)]", new Row { ["a"] = List(4d, 5d) }).ShouldBe(List(1d, 3d, 9d));
        Run("[]").ShouldBe(List());
        Run("[\"a\", null, \"b\"]").ShouldBe(List("a", null, "b"));
    }

    [Fact]
    public void List_literals_of_mixed_types_are_an_error() =>
        Fails("[1, \"a\"]").ShouldContain("number and string");
}

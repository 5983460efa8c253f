using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

public class FunctionTests
{
    private static Row Sample() => new()
    {
        ["visitorId"] = "v1",
        ["anonymous"] = "_PENDO_T_abc",
        ["numEvents"] = 12d,
        ["empty"] = "",
        ["none"] = List(),
        ["tags"] = List("b", "a", "b", "c"),
        ["numbers"] = List(3d, "x", 1d, null, 7d, 5d),
        ["flag"] = true,
        ["path"] = List(new Row { ["items"] = List("p1", "p2") }, new Row { ["items"] = List("p3") }),
    };

    [Theory]
    [InlineData("if(numEvents > 10, \"many\", \"few\")", "many")]
    [InlineData("if(numEvents > 20, \"many\", \"few\")", "few")]
    [InlineData("if(numEvents > 20, \"many\")", null)]
    [InlineData("if(missing, 1, 2)", 2d)]
    [InlineData("if(isNull(page_eventCount), 0, page_eventCount)", 0d)]
    [InlineData("if(1, \"yes\", \"no\")", "yes")]
    [InlineData("if(true, 1, 1 * \"never evaluated\")", 1d)]
    public void If_takes_one_branch(string text, object? expected) => Run(text, Sample()).ShouldBe(expected);

    [Theory]
    [InlineData("isBoolean(flag)", true)]
    [InlineData("isBoolean(1)", false)]
    [InlineData("isNumber(numEvents)", true)]
    [InlineData("isNumber(\"1\")", false)]
    [InlineData("isString(visitorId)", true)]
    [InlineData("isString(missing)", false)]
    [InlineData("isList(tags)", true)]
    [InlineData("isList(visitorId)", false)]
    [InlineData("isNil(missing)", true)]
    [InlineData("isNil(null)", true)]
    [InlineData("isNil(empty)", false)]
    [InlineData("isNull(missing)", true)]
    [InlineData("isNull(visitorId)", false)]
    [InlineData("isNull(false)", false)]
    [InlineData("!isNull(visitorId)", true)]
    [InlineData("isEmpty(missing)", true)]
    [InlineData("isEmpty(empty)", true)]
    [InlineData("isEmpty(none)", true)]
    [InlineData("isEmpty(visitorId)", false)]
    [InlineData("isEmpty(0)", false)]
    public void Type_tests(string text, bool expected) => Run(text, Sample()).ShouldBe(expected);

    [Theory]
    [InlineData("contains(visitorId, \"1\")", true)]
    [InlineData("contains(visitorId, \"x\")", false)]
    [InlineData("contains(visitorId, \"\")", true)]
    [InlineData("contains(tags, \"c\")", true)]
    [InlineData("contains(tags, \"d\")", false)]
    [InlineData("contains(numbers, null)", true)]
    [InlineData("contains(numbers, 7)", true)]
    [InlineData("contains(numbers, \"7\")", false)]
    [InlineData("startsWith(anonymous, \"_PENDO_T_\")", true)]
    [InlineData("startsWith(visitorId, \"V\")", false)]
    [InlineData("endsWith(visitorId, \"1\")", true)]
    [InlineData("endsWith(visitorId, \"v\")", false)]
    public void String_and_list_tests(string text, bool expected) => Run(text, Sample()).ShouldBe(expected);

    [Theory]
    [InlineData("toLowerCase(\"AbC\")", "abc")]
    [InlineData("toUpperCase(\"AbC\")", "ABC")]
    [InlineData("toString(12)", "12")]
    [InlineData("toString(1543726800000)", "1543726800000")]
    [InlineData("toString(1.5)", "1.5")]
    [InlineData("toString(-0.25)", "-0.25")]
    [InlineData("toString(true)", "true")]
    [InlineData("toString(\"s\")", "s")]
    [InlineData("toString([1, 2])", "[1,2]")]
    [InlineData("toString(tags[0:2])", "[\"b\",\"a\"]")]
    [InlineData("eventSubType(\"ui:web:pollResponse\")", "pollResponse")]
    [InlineData("eventSubType(\"guideSeen\")", "guideSeen")]
    [InlineData("eventSubType(\"email:pendo:\")", "")]
    [InlineData("parentAccountId(\"acme\")", "acme")]
    public void String_results(string text, string expected) => Run(text, Sample()).ShouldBe(expected);

    [Theory]
    [InlineData("toNumber(\"42\")", 42d)]
    [InlineData("toNumber(\" -1.5e2 \")", -150d)]
    [InlineData("number(\"7\")", 7d)]
    [InlineData("toNumber(3)", 3d)]
    [InlineData("toNumber(true)", 1d)]
    [InlineData("toNumber(\"abc\")", null)]
    [InlineData("toNumber(missing)", null)]
    [InlineData("len(tags)", 4d)]
    [InlineData("len(visitorId)", 2d)]
    [InlineData("len(\"\")", 0d)]
    [InlineData("len(none)", 0d)]
    [InlineData("sum(numbers)", 16d)]
    [InlineData("sum(none)", 0d)]
    [InlineData("min(3, 1, 2)", 1d)]
    [InlineData("max(3, 1, 2)", 3d)]
    [InlineData("max(numbers)", 7d)]
    [InlineData("min(missing, 4)", 4d)]
    [InlineData("childAccountId(\"acme\")", null)]
    public void Number_results(string text, object? expected) => Run(text, Sample()).ShouldBe(expected);

    [Fact]
    public void List_results()
    {
        Run("split(\"a,b,,c\", \",\")").ShouldBe(List("a", "b", "", "c"));
        Run("split(\"abc\", \"\")").ShouldBe(List("a", "b", "c"));
        Run("split(\"\", \",\")").ShouldBe(List(""));
        Run("list(1, 2, null)").ShouldBe(List(1d, 2d, null));
        Run("list()").ShouldBe(List());
        Run("list(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)").ShouldBe(List(1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d, 9d, 10d));
        Run("listInRange(numbers, 3, 5)", Sample()).ShouldBe(List(3d, 5d));
        Run("listInRange([1, 2, 3], 0, 10)").ShouldBe(List(1d, 2d, 3d));
        Run("reverse(tags)", Sample()).ShouldBe(List("c", "b", "a", "b"));
        Run("sortUnique(tags)", Sample()).ShouldBe(List("a", "b", "c"));
        Run("sortUnique([3, 1, 3, 2])").ShouldBe(List(1d, 2d, 3d));
        Run("map(x, path, x.items)", Sample()).ShouldBe(List(List("p1", "p2"), List("p3")));
        Run("map(x, [1, 2, 3], x * 10)").ShouldBe(List(10d, 20d, 30d));
        Run("map(x, [[1, 2], [3]], map(y, x, y + len(x)))").ShouldBe(List(List(3d, 4d), List(4d)));
        Run("map(x, missing, x)").ShouldBeNull();
    }

    [Fact]
    public void List_functions_do_not_change_their_argument()
    {
        var row = Sample();
        Run("reverse(tags)", row);
        Run("sortUnique(tags)", row);
        row["tags"].ShouldBe(List("b", "a", "b", "c"));
    }

    [Fact]
    public void Hash_is_the_unsigned_XxHash32_of_the_UTF8_bytes()
    {
        // Published XXH32 test vectors (seed 0).
        Run("hash(\"\")").ShouldBe((double)0x02CC5D05u);
        Run("hash(\"abc\")").ShouldBe((double)0x32D153FFu);
        Run("hash(visitorId)", Sample()).ShouldBe((double)System.IO.Hashing.XxHash32.HashToUInt32("v1"u8));
    }

    [Theory]
    [InlineData("identified(visitorId)", true)]
    [InlineData("identified(anonymous)", false)]
    [InlineData("!identified(\"_PENDO_T_x\")", true)]
    public void Identified_is_false_only_for_anonymous_ids(string text, bool expected) => Run(text, Sample()).ShouldBe(expected);

    [Fact]
    public void ExpandAppIds_checks_the_filter_and_asks_the_context()
    {
        Run("expandAppIds(\"web\")").ShouldBe(List(-323232d));
        Run("expandAppIds(`web|mobile`)").ShouldBe(List(-323232d, 5d));
        Run("expandAppIds(\"*\")").ShouldBe(List(-323232d, 5d));
        Fails("expandAppIds(\"web | ios\")").ShouldContain("unknown app filter 'web '");
        Fails("expandAppIds(\"desktop\")").ShouldContain("expected *, web, extension, mobile, ios or android");
        Should.Throw<Guidepost.Query.Aggregations.Expressions.ExpressionException>(() =>
                Guidepost.Query.Aggregations.Expressions.Expression.Parse("expandAppIds(\"*\")")
                    .Evaluate(new Row(), new(Now, NewYork)))
            .Message.ShouldContain("expandAppIds(filter)");
    }

    [Theory]
    [InlineData("len(3)", "len(list|string): argument 1 must be a list or a string, got number")]
    [InlineData("toLowerCase(1)", "toLowerCase(string): argument 1 must be a string, got number")]
    [InlineData("startsWith(visitorId, 1)", "startsWith(string, prefix): argument 2 must be a string, got number")]
    [InlineData("contains(1, 2)", "contains(string, substring) or contains(list, item): argument 1 must be a string or a list, got number")]
    [InlineData("contains(\"a\", 2)", "contains(string, substring) or contains(list, item): argument 2 must be a string when argument 1 is a string, got number")]
    [InlineData("split(\"a\", [1])", "split(string, separator): argument 2 must be a string, got list")]
    [InlineData("sum(1)", "sum(list): argument 1 must be a list, got number")]
    [InlineData("reverse(\"ab\")", "reverse(list): argument 1 must be a list, got string")]
    [InlineData("listInRange(tags, \"a\", 2)", "listInRange(list, min, max): argument 2 must be a number, got string")]
    [InlineData("map(x, 1, x)", "map(x, list, expr): argument 2 must be a list, got number")]
    [InlineData("list(1, \"a\")", "the elements of list(a, b, …) must share one type, got number and string")]
    [InlineData("toNumber([1])", "toNumber(x): argument 1 must be a string, number or boolean, got list")]
    [InlineData("max(1, \"a\")", "max(number, …) or max(list): argument 2 must be a number, got string")]
    [InlineData("hash([1])", "hash(string): argument 1 must be a string, got list")]
    [InlineData("identified(true)", "identified(visitorId): argument 1 must be a string, got boolean")]
    [InlineData("eventSubType(1)", "eventSubType(type): argument 1 must be a string, got number")]
    [InlineData("if(\"yes\", 1, 2)", "'if(cond, ifTrue[, ifFalse])' expects booleans or numbers, got string")]
    public void Wrong_argument_types_name_the_function_and_its_signature(string text, string message) =>
        Fails(text, Sample()).ShouldBe(message);
}

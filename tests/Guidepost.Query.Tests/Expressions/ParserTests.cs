using Guidepost.Query.Aggregations.Expressions;
using static Guidepost.Query.Tests.Expressions.Eval;
using Index = Guidepost.Query.Aggregations.Expressions.Index;

namespace Guidepost.Query.Tests.Expressions;

public class ParserTests
{
    [Theory]
    [InlineData("len(a b)", "at position 7: expected ',' or ')' but found 'b'")]
    [InlineData("if(a, b", "at position 8: expected ',' or ')' but found the end of the expression")]
    [InlineData("(1 + 2", "at position 7: expected ')' but found the end of the expression")]
    [InlineData("1 +", "at position 4: expected a value, field, function call or '(' but found the end of the expression")]
    [InlineData("a b", "at position 3: expected an operator or the end of the expression but found 'b'")]
    [InlineData("a = 1", "at position 3: unexpected '='; compare with '=='")]
    [InlineData("a & b", "at position 3: unexpected '&'; the 'and' operator is '&&'")]
    [InlineData("x == \"abc", "at position 6: unterminated string: expected a closing '\"'")]
    [InlineData("x == `abc", "at position 6: unterminated string: expected a closing '`'")]
    [InlineData("x == 'a'", "at position 6: unexpected \"'\"; quote strings with \" or `")]
    [InlineData("x[1", "at position 4: expected ']' or ':' but found the end of the expression")]
    [InlineData("steps[0].", "at position 10: expected a member name after '.' but found the end of the expression")]
    [InlineData("1e+", "at position 1: malformed number '1e+': expected digits after the exponent")]
    [InlineData("\"a\\qb\"", "at position 3: unknown escape '\\q'")]
    [InlineData("", "at position 1: expected a value, field, function call or '(' but found the end of the expression")]
    [InlineData("foo(1)", "at position 1: unknown function 'foo'")]
    [InlineData("Len(a)", "at position 1: unknown function 'Len'")]
    [InlineData("len(1, 2)", "at position 4: len takes 1 argument: len(list|string); got 2")]
    [InlineData("if(a)", "at position 3: if takes 2 to 3 arguments: if(cond, ifTrue[, ifFalse]); got 1")]
    [InlineData("now(1)", "at position 4: now takes 0 arguments: now(); got 1")]
    [InlineData("map(x.y, l, x)", "at position 5: map(x, list, expr): expected a variable name as the first argument but found 'x.y'")]
    public void Errors_say_what_was_expected_and_where(string text, string message) => ParseFails(text).ShouldStartWith(message);

    [Theory]
    [InlineData("pageId in [\"a\", \"b\"]", 8)]
    [InlineData("a == 1 || b in [1]", 13)]
    [InlineData("if(x in [1], 1, 2)", 6)]
    public void There_is_no_in_operator(string text, int position)
    {
        var message = ParseFails(text);
        message.ShouldStartWith($"at position {position}: there is no 'in' operator");
        message.ShouldContain("||");
    }

    [Fact]
    public void The_tree_is_public_and_follows_precedence()
    {
        Expression.Parse("numEvents > 10 && !isNull(accountId)").Root.ShouldBe(
            new Binary("&&",
                new Binary(">", new Field("numEvents"), new Literal(10d)),
                new Unary("!", new Call("isNull", [new Field("accountId")]))));
        Expression.Parse("a - -1").Root.ShouldBe(new Binary("-", new Field("a"), new Literal(-1d)));
        Expression.Parse("polls[0].id").Root.ShouldBe(new Member(new Index(new Field("polls"), new Literal(0d)), "id"));
        Expression.Parse("l[-2:]").Root.ShouldBe(new Slice(new Field("l"), new Literal(-2d), null));
        Expression.Parse("[1, nil]").Root.ShouldBe(new ListLiteral([new Literal(1d), new Literal(null)]));
        Expression.Parse("map(x, path, x.items)").Root.ShouldBe(
            new Call("map", [new Variable("x"), new Field("path"), new Member(new Variable("x"), "items")]));
    }

    [Fact]
    public void Field_paths_are_every_field_read_once_without_bound_names_or_indexes()
    {
        Expression.Parse("numEvents > 10 && metadata.auto.lastvisit > now() - 1 && numEvents < 99").FieldPaths
            .ShouldBe(["numEvents", "metadata.auto.lastvisit"]);
        Expression.Parse("steps[0].type == \"a\" && len(polls[1:]) > 0").FieldPaths.ShouldBe(["steps", "polls"]);
        Expression.Parse("map(x, path, x.items.first)").FieldPaths.ShouldBe(["path"]);
        Expression.Parse("map(x, l, x + y)").FieldPaths.ShouldBe(["l", "y"]);
        Expression.Parse("x == 1 && map(x, l, x)").FieldPaths.ShouldBe(["x", "l"]);
        Expression.Parse("true && null").FieldPaths.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("metadata.custom.2fa", "metadata.custom.2fa")]
    [InlineData("$price_1", "$price_1")]
    [InlineData("_id", "_id")]
    public void Field_names_take_letters_digits_underscores_and_dollars(string text, string path) =>
        Expression.Parse(text).Root.ShouldBe(new Field(path));

    [Fact]
    public void Text_is_kept() => Expression.Parse(" a  == 1 ").Text.ShouldBe(" a  == 1 ");
}

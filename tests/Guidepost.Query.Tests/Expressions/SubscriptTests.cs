using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

public class SubscriptTests
{
    private static Row Guide() => new()
    {
        ["polls"] = List(new Row { ["id"] = "p1" }, new Row { ["id"] = "p2" }),
        ["steps"] = List(new Row { ["type"] = "lightbox" }),
        ["list"] = List(10d, 20d, 30d, 40d),
        ["name"] = "guide",
        ["metadata"] = new Row { ["auto"] = new Row { ["accountids"] = List("a", "b") } },
    };

    [Theory]
    [InlineData("polls[0].id", "p1")]
    [InlineData("polls[1].id", "p2")]
    [InlineData("polls[-1].id", "p2")]
    [InlineData("steps[0].type", "lightbox")]
    [InlineData("list[2]", 30d)]
    [InlineData("list[-4]", 10d)]
    [InlineData("list[1 + 1]", 30d)]
    [InlineData("name[0]", "g")]
    [InlineData("name[-1]", "e")]
    [InlineData("metadata.auto.accountids[1]", "b")]
    [InlineData("metadata[\"auto\"].accountids[0]", "a")]
    public void Indexes_count_from_zero_or_from_the_end(string text, object expected) => Run(text, Guide()).ShouldBe(expected);

    [Theory]
    [InlineData("list[4]")]
    [InlineData("list[-5]")]
    [InlineData("polls[2].id")]
    [InlineData("steps[0].missing")]
    [InlineData("name[5]")]
    public void Out_of_range_is_null(string text) => Run(text, Guide()).ShouldBeNull();

    [Theory]
    [InlineData("list[1:3]", new[] { 20d, 30d })]
    [InlineData("list[:2]", new[] { 10d, 20d })]
    [InlineData("list[-2:]", new[] { 30d, 40d })]
    [InlineData("list[1:-1]", new[] { 20d, 30d })]
    [InlineData("list[:]", new[] { 10d, 20d, 30d, 40d })]
    [InlineData("list[2:99]", new[] { 30d, 40d })]
    [InlineData("list[-99:1]", new[] { 10d })]
    [InlineData("list[3:1]", new double[0])]
    public void Slices_take_start_to_end_exclusive_clamped(string text, double[] expected) =>
        Run(text, Guide()).ShouldBe(expected.Select(object? (d) => d).ToList());

    [Theory]
    [InlineData("name[1:3]", "ui")]
    [InlineData("name[:2]", "gu")]
    [InlineData("name[-2:]", "de")]
    public void Strings_slice_too(string text, string expected) => Run(text, Guide()).ShouldBe(expected);

    [Fact]
    public void A_slice_is_a_copy()
    {
        var row = Guide();
        var slice = (List<object?>)Run("list[0:2]", row)!;
        slice.Add(99d);
        ((List<object?>)row["list"]!).Count.ShouldBe(4);
    }

    [Theory]
    [InlineData("list[\"a\"]", "'[]' expects a number as index, got string")]
    [InlineData("list[0.5]", "'[]' expects a whole number as index, got 0.5")]
    [InlineData("numEvents[0]", "'[]' expects a list, string or object, got number")]
    [InlineData("list[0].id", "'.id' reads a member of an object, got number")]
    [InlineData("numEvents[0:1]", "'[:]' expects a list or string, got number")]
    public void Subscripting_the_wrong_type_is_an_error(string text, string message) =>
        Fails(text, new Row { ["list"] = List(1d), ["numEvents"] = 3d }).ShouldBe(message);
}

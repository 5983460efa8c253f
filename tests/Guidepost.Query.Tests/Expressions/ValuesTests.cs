using System.Text;
using System.Text.Json;
using Guidepost.Query.Aggregations;
using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

public class ValuesTests
{
    private static string Json(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) Values.WriteJson(writer, value);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData(1543726800000d, "1543726800000")]
    [InlineData(-323232d, "-323232")]
    [InlineData(0d, "0")]
    [InlineData(1.5d, "1.5")]
    [InlineData(0.1d, "0.1")]
    [InlineData(9007199254740991d, "9007199254740991")]
    [InlineData(double.NaN, "null")]
    [InlineData(double.PositiveInfinity, "null")]
    [InlineData(double.NegativeInfinity, "null")]
    public void Numbers_are_written_without_a_fraction_when_integral(double value, string json) => Json(value).ShouldBe(json);

    [Fact]
    public void Negative_zero_is_written_as_zero() => Json(-0d).ShouldBe("0");

    [Fact]
    public void Nested_values_are_written_as_JSON()
    {
        var row = new Row { ["a"] = List(1d, "x", null, true), ["b"] = new Row { ["c"] = 2.25 } };
        Json(row).ShouldBe("{\"a\":[1,\"x\",null,true],\"b\":{\"c\":2.25}}");
    }

    [Fact]
    public void JSON_is_read_with_every_number_a_double()
    {
        using var document = JsonDocument.Parse("{\"n\":3,\"f\":1.5,\"s\":\"x\",\"b\":false,\"z\":null,\"l\":[1,[2]],\"o\":{\"auto\":{\"idhash\":4294967295}}}");
        var row = (Row)Values.FromJson(document.RootElement)!;
        row["n"].ShouldBe(3d);
        row["f"].ShouldBe(1.5d);
        row["s"].ShouldBe("x");
        row["b"].ShouldBe(false);
        row["z"].ShouldBeNull();
        row["l"].ShouldBe(List(1d, List(2d)));
        Values.Get(row, "o.auto.idhash").ShouldBe(4294967295d);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(true, "true")]
    [InlineData(12d, "12")]
    [InlineData(1543726800000d, "1543726800000")]
    [InlineData(0.5d, "0.5")]
    [InlineData(double.NaN, "")]
    [InlineData("a,b", "a,b")]
    public void Text_of_one_cell(object? value, string text) => Values.ToText(value).ShouldBe(text);

    [Fact]
    public void Text_of_lists_and_objects_is_compact_JSON()
    {
        Values.ToText(List(1d, "é")).ShouldBe("[1,\"é\"]");
        Values.ToText(new Row { ["a"] = 1d }).ShouldBe("{\"a\":1}");
    }

    [Fact]
    public void Compare_orders_null_booleans_numbers_strings_lists_objects()
    {
        object?[] expected =
        [
            null, false, true, double.NegativeInfinity, -1d, 0d, 2d, 10d, "", "B", "a", "ab",
            List(), List(1d), List(1d, 2d), List(2d), new Row(), new Row { ["a"] = 1d },
        ];
        var shuffled = expected.Reverse().ToList();
        shuffled.Sort(Values.Compare);
        shuffled.ShouldBe(expected);
        Values.Compare(1d, 1d).ShouldBe(0);
        Values.Compare(List("a"), List("a")).ShouldBe(0);
    }

    [Fact]
    public void Equality_is_deep_and_hashes_agree()
    {
        Values.AreEqual(List(1d, List("a")), List(1d, List("a"))).ShouldBeTrue();
        Values.AreEqual(List(1d), List(1d, 2d)).ShouldBeFalse();
        Values.AreEqual(null, null).ShouldBeTrue();
        Values.AreEqual(null, false).ShouldBeFalse();
        Values.AreEqual(1d, "1").ShouldBeFalse();
        Values.AreEqual(0d, -0d).ShouldBeTrue();
        Values.Hash(0d).ShouldBe(Values.Hash(-0d));
        var a = new Row { ["x"] = 1d, ["y"] = List("a") };
        var b = new Row { ["y"] = List("a"), ["x"] = 1d };
        Values.AreEqual(a, b).ShouldBeTrue();
        Values.Hash(a).ShouldBe(Values.Hash(b));
        Values.Hash(List(1d, "a")).ShouldBe(Values.Hash(List(1d, "a")));
        Values.Hash("visitor").ShouldBe(Values.Hash(new string("visitor".ToCharArray())));
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData(true, "boolean")]
    [InlineData(1d, "number")]
    [InlineData("s", "string")]
    public void Type_names(object? value, string name) => Values.TypeName(value).ShouldBe(name);

    [Fact]
    public void Type_names_of_lists_and_objects()
    {
        Values.TypeName(List()).ShouldBe("list");
        Values.TypeName(new Row()).ShouldBe("object");
    }

    [Fact]
    public void Get_follows_dotted_paths()
    {
        var row = new Row
        {
            ["visitorId"] = "v",
            ["metadata"] = new Row { ["auto"] = new Row { ["lastvisit"] = 5d }, ["custom"] = "not an object" },
            ["a.b"] = "flat",
            ["a"] = new Row { ["b"] = "nested" },
        };
        Values.Get(row, "visitorId").ShouldBe("v");
        Values.Get(row, "metadata.auto.lastvisit").ShouldBe(5d);
        Values.Get(row, "metadata.auto").ShouldBeOfType<Row>();
        Values.Get(row, "a.b").ShouldBe("flat");
        Values.Get(row, "metadata.auto.missing").ShouldBeNull();
        Values.Get(row, "metadata.custom.field").ShouldBeNull();
        Values.Get(row, "missing.path").ShouldBeNull();
        Values.Get(row, "missing").ShouldBeNull();
        Run("a.b", row).ShouldBe("flat");
        Run("metadata.auto.lastvisit + 1", row).ShouldBe(6d);
    }

    [Fact]
    public void Set_creates_nested_rows()
    {
        var row = new Row { ["metadata"] = new Row { ["auto"] = new Row { ["id"] = "v" } }, ["scalar"] = 1d, ["x.y"] = 1d };
        Values.Set(row, "metadata.auto.lastvisit", 7d);
        Values.Set(row, "account.agent.name", "Acme");
        Values.Set(row, "scalar.inner", true);
        Values.Set(row, "x.y", 2d);
        Values.Set(row, "top", "t");
        Values.Get(row, "metadata.auto.lastvisit").ShouldBe(7d);
        Values.Get(row, "metadata.auto.id").ShouldBe("v");
        Values.Get(row, "account.agent.name").ShouldBe("Acme");
        Values.Get(row, "scalar.inner").ShouldBe(true);
        row["x.y"].ShouldBe(2d);
        row["top"].ShouldBe("t");
    }

    [Fact]
    public void DeepCopy_is_independent_of_the_original()
    {
        var original = new Row { ["list"] = List(1d, new Row { ["a"] = 1d }), ["nested"] = new Row { ["b"] = "x" } };
        var copy = (Row)Values.DeepCopy(original)!;
        Values.AreEqual(copy, original).ShouldBeTrue();
        Values.Set(copy, "nested.b", "changed");
        ((List<object?>)copy["list"]!).Add(2d);
        ((Row)((List<object?>)copy["list"]!)[1]!)["a"] = 2d;
        Values.Get(original, "nested.b").ShouldBe("x");
        Values.AreEqual(original["list"], List(1d, new Row { ["a"] = 1d })).ShouldBeTrue();
    }

    [Fact]
    public void A_json_number_beyond_doubles_range_reads_as_infinity()
    {
        using var document = System.Text.Json.JsonDocument.Parse("[1e400, -1e400]");
        Values.FromJson(document.RootElement).ShouldBe(new List<object?> { double.PositiveInfinity, double.NegativeInfinity });
    }
}

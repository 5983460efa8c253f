namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>What the operators do to values (aggregation-api.md §4.1): <c>== !=</c> see null as a value of
/// its own; <c>&amp;&amp; ||</c> see null as false; every other operator gives null for a null operand.
/// Type errors name the operator and the types it got.</summary>
internal static class Operators
{
    /// <summary>Booleans boxed once, so comparisons allocate nothing.</summary>
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Box(bool value) => value ? True : False;

    /// <summary><c>==</c>: deep equality; values of different types are unequal rather than an error,
    /// so <c>accountId == 5</c> on a string id is simply false.</summary>
    public static bool Equal(object? a, object? b) => Values.AreEqual(a, b);

    /// <summary>The truth of an operand of <c>&amp;&amp;</c>, <c>||</c> or <c>if</c>: booleans, numbers
    /// (non-zero is true) and null (false).</summary>
    public static bool Truth(object? value, string op) => value switch
    {
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        null => false,
        _ => throw new ExpressionException($"'{op}' expects booleans or numbers, got {Values.TypeName(value)}"),
    };

    /// <summary>Which outcomes of a comparison each ordering operator accepts (bit 1 less, 2 equal, 4
    /// greater), so one comparison serves all four.</summary>
    public static int Accepts(string op) => op switch
    {
        "<" => 1,
        "<=" => 3,
        ">" => 4,
        ">=" => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary><c>&lt; &lt;= &gt; &gt;=</c> on two numbers or two strings (ordinal); null if either is
    /// null. Any comparison with NaN is false, as in C.</summary>
    public static object? Order(object? a, object? b, int accepts, string op)
    {
        int c;
        if (a is double x && b is double y)
        {
            if (double.IsNaN(x) || double.IsNaN(y)) return False;
            c = x.CompareTo(y);
        }
        else if (a is string s && b is string t) c = string.CompareOrdinal(s, t);
        else if (a is null || b is null) return null;
        else throw TypeError(op, "two numbers or two strings", a, b);
        var outcome = c < 0 ? 1 : c == 0 ? 2 : 4;
        return Box((accepts & outcome) != 0);
    }

    // + - * / % on numbers, with IEEE results (x / 0 is infinite, written as null in JSON); + also joins
    // two strings, as Pendo users write it.
    public static object? Add(object? a, object? b)
    {
        if (a is double x && b is double y) return x + y;
        if (a is string s && b is string t) return string.Concat(s, t);
        return a is null || b is null ? null : throw TypeError("+", "two numbers or two strings", a, b);
    }

    public static object? Subtract(object? a, object? b) => a is double x && b is double y ? x - y : NotNumbers("-", a, b);

    public static object? Multiply(object? a, object? b) => a is double x && b is double y ? x * y : NotNumbers("*", a, b);

    public static object? Divide(object? a, object? b) => a is double x && b is double y ? x / y : NotNumbers("/", a, b);

    public static object? Remainder(object? a, object? b) => a is double x && b is double y ? x % y : NotNumbers("%", a, b);

    private static object? NotNumbers(string op, object? a, object? b) =>
        a is null || b is null ? null : throw TypeError(op, "numbers", a, b);

    public static object? Not(object? value) => value switch
    {
        bool b => Box(!b),
        null => null,
        _ => throw new ExpressionException($"'!' expects a boolean, got {Values.TypeName(value)}"),
    };

    public static object? Negate(object? value) => value switch
    {
        double d => -d,
        null => null,
        _ => throw new ExpressionException($"unary '-' expects a number, got {Values.TypeName(value)}"),
    };

    private static ExpressionException TypeError(string op, string expected, object? a, object? b) =>
        new($"'{op}' expects {expected}, got {Values.TypeName(a)} {op} {Values.TypeName(b)}");
}

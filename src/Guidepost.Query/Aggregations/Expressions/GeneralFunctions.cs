using System.Globalization;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Conditionals, type tests, conversions and string functions.</summary>
internal static class GeneralFunctions
{
    public static IEnumerable<FunctionSpec> All =>
    [
        new("if", "if(cond, ifTrue[, ifFalse])", 2, 3, null),
        TypeTest("isBoolean", v => v is bool),
        TypeTest("isNumber", v => v is double),
        TypeTest("isString", v => v is string),
        TypeTest("isList", v => v is List<object?>),
        TypeTest("isNil", v => v is null),
        // Pendo's text says "true if the field exists and is not null", but every real use reads it as
        // is-null (!isNull(parameters.parameter) keeps rows with a parameter); a missing field is null.
        TypeTest("isNull", v => v is null),
        TypeTest("isEmpty", v => v is null or "" or List<object?> { Count: 0 }),
        new("toString", "toString(x)", 1, 1, (a, _, _) => ToText(a[0])),
        new("toNumber", "toNumber(x)", 1, 1, ToNumber),
        new("number", "number(x)", 1, 1, ToNumber),
        new("contains", "contains(string, substring) or contains(list, item)", 2, 2, Contains, nullPropagates: false),
        new("split", "split(string, separator)", 2, 2, Split),
        new("startsWith", "startsWith(string, prefix)", 2, 2,
            (a, _, f) => Operators.Box(f.String(a, 0).StartsWith(f.String(a, 1), StringComparison.Ordinal))),
        new("endsWith", "endsWith(string, suffix)", 2, 2,
            (a, _, f) => Operators.Box(f.String(a, 0).EndsWith(f.String(a, 1), StringComparison.Ordinal))),
        new("toLowerCase", "toLowerCase(string)", 1, 1, (a, _, f) => f.String(a, 0).ToLowerInvariant()),
        new("toUpperCase", "toUpperCase(string)", 1, 1, (a, _, f) => f.String(a, 0).ToUpperInvariant()),
        new("min", "min(number, …) or min(list)", 1, int.MaxValue, (a, _, f) => Extreme(a, f, -1), nullPropagates: false),
        new("max", "max(number, …) or max(list)", 1, int.MaxValue, (a, _, f) => Extreme(a, f, 1), nullPropagates: false),
    ];

    private static FunctionSpec TypeTest(string name, Func<object?, bool> test) =>
        new(name, $"{name}(x)", 1, 1, (a, _, _) => Operators.Box(test(a[0])), nullPropagates: false);

    /// <summary>Numbers without a trailing ".0" when integral; lists and objects as compact JSON.</summary>
    private static string ToText(object? value) => value is double d && !double.IsFinite(d)
        ? d.ToString(CultureInfo.InvariantCulture)
        : Values.ToText(value);

    /// <summary>Numbers as they are, booleans as 1 or 0, strings parsed; a string that is not a number
    /// gives null rather than an error, since it is bad data, not a bad expression.</summary>
    private static object? ToNumber(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function) => args[0] switch
    {
        double d => d,
        bool b => b ? 1d : 0d,
        string s => double.TryParse(s.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        var other => throw function.TypeError(0, "a string, number or boolean", other),
    };

    private static object? Contains(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        switch (args[0])
        {
            case null: return null;
            case string text when args[1] is string part: return Operators.Box(text.Contains(part, StringComparison.Ordinal));
            case string: return args[1] is null ? null : throw function.TypeError(1, "a string when argument 1 is a string", args[1]);
            case List<object?> list:
                foreach (var item in list)
                    if (Values.AreEqual(item, args[1])) return Operators.True;
                return Operators.False;
            default: throw function.TypeError(0, "a string or a list", args[0]);
        }
    }

    /// <summary>Go's strings.Split: an empty separator splits into characters; an empty string gives
    /// [""].</summary>
    private static object? Split(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var text = function.String(args, 0);
        var separator = function.String(args, 1);
        if (separator.Length > 0) return text.Split(separator).Select(object? (s) => s).ToList();
        var characters = new List<object?>();
        foreach (var rune in text.EnumerateRunes()) characters.Add(rune.ToString());
        return characters;
    }

    /// <summary>The least (<paramref name="sign"/> -1) or greatest number among the arguments, or among
    /// the numbers of a single list argument; nulls are skipped; nothing left → null.</summary>
    private static object? Extreme(ReadOnlySpan<object?> args, FunctionSpec function, int sign)
    {
        double? best = null;
        if (args.Length == 1 && args[0] is List<object?> list)
        {
            foreach (var item in list)
                if (item is double d && (best is null || d.CompareTo(best.Value) * sign > 0)) best = d;
            return best;
        }
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is null) continue;
            var d = function.Number(args, i);
            if (best is null || d.CompareTo(best.Value) * sign > 0) best = d;
        }
        return best;
    }
}

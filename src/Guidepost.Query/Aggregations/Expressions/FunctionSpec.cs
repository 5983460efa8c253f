using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>A function's implementation over its evaluated arguments.</summary>
internal delegate object? FunctionBody(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function);

/// <summary>One function of the language: its name as Pendo spells it, the signature errors quote, how
/// many arguments it takes, and its body. A null body marks a function the compiler evaluates itself
/// because it must not evaluate every argument (<c>if</c>, <c>map</c>).</summary>
internal sealed class FunctionSpec(string name, string signature, int minArgs, int maxArgs, FunctionBody? body, bool nullPropagates = true)
{
    public string Name { get; } = name;
    public string Signature { get; } = signature;
    public int MinArgs { get; } = minArgs;
    public int MaxArgs { get; } = maxArgs;
    public FunctionBody? Body { get; } = body;

    /// <summary>When true, a null argument makes the result null without running the body, as null does
    /// to every operator but <c>== != &amp;&amp; ||</c>.</summary>
    public bool NullPropagates { get; } = nullPropagates;

    public string Arity => (MinArgs, MaxArgs) switch
    {
        (var min, var max) when min == max => min == 1 ? "1 argument" : $"{min} arguments",
        (var min, int.MaxValue) => $"at least {min} argument{(min == 1 ? "" : "s")}",
        var (min, max) => $"{min} to {max} arguments",
    };

    public ExpressionException Fail(string problem) => new($"{Signature}: {problem}");

    public ExpressionException TypeError(int index, string expected, object? got) =>
        Fail($"argument {index + 1} must be {expected}, got {Values.TypeName(got)}");

    public double Number(ReadOnlySpan<object?> args, int index) =>
        args[index] is double number ? number : throw TypeError(index, "a number", args[index]);

    public string String(ReadOnlySpan<object?> args, int index) =>
        args[index] as string ?? throw TypeError(index, "a string", args[index]);

    public List<object?> List(ReadOnlySpan<object?> args, int index) =>
        args[index] as List<object?> ?? throw TypeError(index, "a list", args[index]);

    /// <summary>A number argument that must be whole (a date part, a count of days).</summary>
    public long Integer(ReadOnlySpan<object?> args, int index)
    {
        var number = Number(args, index);
        if (number != Math.Truncate(number) || Math.Abs(number) > 1e15) throw Fail($"argument {index + 1} must be a whole number, got {Values.FormatNumber(number)}");
        return (long)number;
    }
}

/// <summary>Room for the arguments of a call on the stack, so calling a function allocates nothing for
/// its arguments (up to eight; more, as in a long <c>list(…)</c>, take an array).</summary>
[InlineArray(8)]
internal struct ArgumentBuffer
{
    private object? _first;
}

/// <summary>Every function, by name (case-sensitive, as Pendo writes them).</summary>
internal static class Functions
{
    public static readonly FrozenDictionary<string, FunctionSpec> All =
        GeneralFunctions.All.Concat(ListFunctions.All).Concat(DateFunctions.All).Concat(PendoFunctions.All)
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
}

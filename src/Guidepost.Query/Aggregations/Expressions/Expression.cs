namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>One expression of Pendo's aggregation language (aggregation-api.md §4), parsed and compiled
/// once, then evaluated per row. Immutable and safe to share between threads.</summary>
public sealed class Expression
{
    private readonly Evaluator _evaluate;
    private readonly int _slots;

    private Expression(string text, Node root, IReadOnlyCollection<string> fieldPaths, Evaluator evaluate, int slots)
    {
        Text = text;
        Root = root;
        FieldPaths = fieldPaths;
        _evaluate = evaluate;
        _slots = slots;
    }

    public string Text { get; }

    /// <summary>The syntax tree, for a planner to inspect (which fields are compared with what).</summary>
    public Node Root { get; }

    /// <summary>Every dotted field path the expression reads, in order of first appearance: the path
    /// before any index (<c>steps[0].type</c> reads <c>steps</c>); names bound by map are not fields.</summary>
    public IReadOnlyCollection<string> FieldPaths { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> saying what was
    /// expected where ("at position 7: expected ')' but found ','"; positions count characters from 1).</summary>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (root, fields) = Parser.Parse(text);
        var compiler = new Compiler();
        var evaluate = compiler.Compile(root);
        return new Expression(text, root, fields, evaluate, compiler.SlotCount);
    }

    /// <summary>The value for <paramref name="row"/>; throws <see cref="ExpressionException"/> on a type
    /// error, naming the operator or function and the types it got.</summary>
    public object? Evaluate(Row row, ExpressionContext context) =>
        _evaluate(row, context, _slots == 0 ? null : new object?[_slots]);

    /// <summary>Whether a filter keeps a row with this value: true, or a non-zero number (as
    /// <c>&amp;&amp;</c> and <c>||</c> read numbers); null and everything else are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        _ => false,
    };

    public override string ToString() => Text;
}

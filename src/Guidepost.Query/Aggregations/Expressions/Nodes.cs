namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>A node of a parsed expression; public so a query planner can inspect what an expression reads
/// and compares.</summary>
public abstract record Node;

/// <summary>A constant: null, a boolean, a number (double) or a string. A minus before a number literal is
/// folded into it.</summary>
public sealed record Literal(object? Value) : Node;

/// <summary>A row field by dotted path (<c>metadata.auto.lastvisit</c>); missing → null.</summary>
public sealed record Field(string Path) : Node;

/// <summary>The name <c>map(x, list, expr)</c> binds to each element while <c>expr</c> runs.</summary>
public sealed record Variable(string Name) : Node;

/// <summary><c>target[position]</c>; a negative position counts from the end; out of range → null.</summary>
public sealed record Index(Node Target, Node Position) : Node;

/// <summary><c>target[start:end]</c> of a list or string; either bound may be left out.</summary>
public sealed record Slice(Node Target, Node? Start, Node? End) : Node;

/// <summary>A member of an object that is not a field of the row: <c>steps[0].type</c>, <c>x.items</c>.</summary>
public sealed record Member(Node Target, string Name) : Node;

/// <summary><c>!operand</c> or <c>-operand</c>.</summary>
public sealed record Unary(string Operator, Node Operand) : Node;

/// <summary>An infix operator: arithmetic, comparison, <c>&amp;&amp;</c>, <c>||</c>.</summary>
public sealed record Binary(string Operator, Node Left, Node Right) : Node;

/// <summary>A function call; <c>map</c>'s first argument is a <see cref="Variable"/>. Equal when the
/// function and the arguments are.</summary>
public sealed record Call(string Function, IReadOnlyList<Node> Arguments) : Node
{
    public bool Equals(Call? other) =>
        other is not null && Function == other.Function && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Function, Arguments.Count);
}

/// <summary><c>[a, b, …]</c>; the non-null elements must share one type. Equal when the items are.</summary>
public sealed record ListLiteral(IReadOnlyList<Node> Items) : Node
{
    public bool Equals(ListLiteral? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Count;
}

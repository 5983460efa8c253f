namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>A compiled node: its value for one row. <paramref name="variables"/> holds what
/// <c>map</c> binds (null when the expression has no map).</summary>
internal delegate object? Evaluator(Row row, ExpressionContext context, object?[]? variables);

/// <summary>Turns a tree into nested delegates once, so a row costs only the calls, no tree walking or
/// string switching. A comparison of a field with a literal is one delegate.</summary>
internal sealed class Compiler
{
    private readonly List<string> _scope = [];
    private readonly List<int> _slots = [];

    /// <summary>How many variable slots the expression needs.</summary>
    public int SlotCount { get; private set; }

    public Evaluator Compile(Node node)
    {
        var evaluator = CompileNode(node);
        return node is Unary or Binary && IsConstant(node) ? Fold(evaluator) : evaluator;
    }

    /// <summary>Operators over literals only (<c>30 * 1000 * 60 * 60 * 24</c>, as Pendo's own ETL files
    /// write) always give the same value.</summary>
    private static bool IsConstant(Node node) => node switch
    {
        Literal => true,
        Unary unary => IsConstant(unary.Operand),
        Binary binary => IsConstant(binary.Left) && IsConstant(binary.Right),
        _ => false,
    };

    /// <summary>Computes a constant once; one that fails (<c>"a" * 2</c>) is left to fail per row, as it
    /// would unfolded.</summary>
    private static Evaluator Fold(Evaluator evaluator)
    {
        try
        {
            return Constant(evaluator(new Row(), null!, null));
        }
        catch (ExpressionException)
        {
            return evaluator;
        }
    }

    private Evaluator CompileNode(Node node) => node switch
    {
        Literal literal => Constant(literal.Value),
        Field field => FieldReader(field.Path),
        Variable variable => VariableReader(variable.Name),
        Index index => CompileIndex(index),
        Slice slice => CompileSlice(slice),
        Member member => CompileMember(member),
        Unary unary => CompileUnary(unary),
        Binary binary => CompileBinary(binary),
        Call call => CompileCall(call),
        ListLiteral list => CompileList(list),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "unknown node"),
    };

    private static Evaluator Constant(object? value) => (_, _, _) => value;

    private static Evaluator FieldReader(string path)
    {
        var segments = path.Split('.');
        return (row, _, _) => Values.Get(row, path, segments);
    }

    private Evaluator VariableReader(string name)
    {
        var at = _scope.LastIndexOf(name);
        if (at < 0) throw new ExpressionException($"'{name}' is not bound here; only map(x, list, expr) binds a name, for expr");
        var slot = _slots[at];
        return (_, _, variables) => variables![slot];
    }

    private Evaluator CompileIndex(Index node)
    {
        var target = Compile(node.Target);
        var position = Compile(node.Position);
        return (row, context, variables) => Subscripts.At(target(row, context, variables), position(row, context, variables));
    }

    private Evaluator CompileSlice(Slice node)
    {
        var target = Compile(node.Target);
        var start = node.Start is null ? null : Compile(node.Start);
        var end = node.End is null ? null : Compile(node.End);
        return (row, context, variables) => Subscripts.Range(
            target(row, context, variables), start?.Invoke(row, context, variables), end?.Invoke(row, context, variables),
            start is not null, end is not null);
    }

    private Evaluator CompileMember(Member node)
    {
        var target = Compile(node.Target);
        var name = node.Name;
        return (row, context, variables) => Subscripts.MemberOf(target(row, context, variables), name);
    }

    private Evaluator CompileUnary(Unary node)
    {
        var operand = Compile(node.Operand);
        return node.Operator switch
        {
            "!" => (row, context, variables) => Operators.Not(operand(row, context, variables)),
            "-" => (row, context, variables) => Operators.Negate(operand(row, context, variables)),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.Operator, "unknown unary operator"),
        };
    }

    private Evaluator CompileBinary(Binary node)
    {
        if (node.Operator is "==" or "!=" or "<" or "<=" or ">" or ">=" && FieldAgainstLiteral(node) is { } fast) return fast;
        var left = Compile(node.Left);
        var right = Compile(node.Right);
        switch (node.Operator)
        {
            case "&&": return (row, context, variables) => Operators.Box(Operators.Truth(left(row, context, variables), "&&") && Operators.Truth(right(row, context, variables), "&&"));
            case "||": return (row, context, variables) => Operators.Box(Operators.Truth(left(row, context, variables), "||") || Operators.Truth(right(row, context, variables), "||"));
            case "==": return (row, context, variables) => Operators.Box(Values.AreEqual(left(row, context, variables), right(row, context, variables)));
            case "!=": return (row, context, variables) => Operators.Box(!Values.AreEqual(left(row, context, variables), right(row, context, variables)));
            case "+": return (row, context, variables) => Operators.Add(left(row, context, variables), right(row, context, variables));
            case "-": return (row, context, variables) => Operators.Subtract(left(row, context, variables), right(row, context, variables));
            case "*": return (row, context, variables) => Operators.Multiply(left(row, context, variables), right(row, context, variables));
            case "/": return (row, context, variables) => Operators.Divide(left(row, context, variables), right(row, context, variables));
            case "%": return (row, context, variables) => Operators.Remainder(left(row, context, variables), right(row, context, variables));
        }
        var op = node.Operator;
        var accepts = Operators.Accepts(op);
        return (row, context, variables) => Operators.Order(left(row, context, variables), right(row, context, variables), accepts, op);
    }

    /// <summary><c>field OP literal</c> (either way round) read and compared in one delegate: the
    /// commonest filter shape.</summary>
    private static Evaluator? FieldAgainstLiteral(Binary node)
    {
        var (field, literal, flipped) = (node.Left, node.Right) switch
        {
            (Field f, Literal l) => (f, l, false),
            (Literal l, Field f) => (f, l, true),
            _ => default((Field?, Literal?, bool)),
        };
        if (field is null || literal is null) return null;
        var path = field.Path;
        var segments = path.Split('.');
        var value = literal.Value;
        if (node.Operator == "==") return (row, _, _) => Operators.Box(Values.AreEqual(Values.Get(row, path, segments), value));
        if (node.Operator == "!=") return (row, _, _) => Operators.Box(!Values.AreEqual(Values.Get(row, path, segments), value));
        var op = node.Operator;
        var accepts = Operators.Accepts(op);
        return flipped
            ? (row, _, _) => Operators.Order(value, Values.Get(row, path, segments), accepts, op)
            : (row, _, _) => Operators.Order(Values.Get(row, path, segments), value, accepts, op);
    }

    private Evaluator CompileList(ListLiteral node)
    {
        var items = node.Items.Select(Compile).ToArray();
        return (row, context, variables) =>
        {
            var list = new List<object?>(items.Length);
            foreach (var item in items) list.Add(item(row, context, variables));
            ListFunctions.RequireOneType(list, "a list literal [a, b, …]");
            return list;
        };
    }

    private Evaluator CompileCall(Call node)
    {
        var function = Functions.All[node.Function];
        if (node.Function == "if") return CompileIf(node, function);
        if (node.Function == "map") return CompileMap(node, function);
        var arguments = node.Arguments.Select(Compile).ToArray();
        var body = function.Body!;
        var propagates = function.NullPropagates;
        if (arguments.Length > 8)
        {
            return (row, context, variables) =>
            {
                var values = new object?[arguments.Length];
                for (var i = 0; i < arguments.Length; i++) values[i] = arguments[i](row, context, variables);
                return propagates && Array.IndexOf(values, null) >= 0 ? null : body(values, context, function);
            };
        }
        return (row, context, variables) =>
        {
            var buffer = new ArgumentBuffer();
            Span<object?> values = buffer;
            values = values[..arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                var value = arguments[i](row, context, variables);
                if (value is null && propagates) return null;
                values[i] = value;
            }
            return body(values, context, function);
        };
    }

    /// <summary><c>if(cond, a[, b])</c> evaluates only the branch taken; no else branch gives null.</summary>
    private Evaluator CompileIf(Call node, FunctionSpec function)
    {
        var signature = function.Signature;
        var condition = Compile(node.Arguments[0]);
        var then = Compile(node.Arguments[1]);
        var otherwise = node.Arguments.Count > 2 ? Compile(node.Arguments[2]) : Constant(null);
        return (row, context, variables) => Operators.Truth(condition(row, context, variables), signature)
            ? then(row, context, variables)
            : otherwise(row, context, variables);
    }

    /// <summary><c>map(x, list, expr)</c>: expr once per element with x bound to it; a null list gives
    /// null.</summary>
    private Evaluator CompileMap(Call node, FunctionSpec function)
    {
        var source = Compile(node.Arguments[1]);
        var slot = SlotCount++;
        _scope.Add(((Variable)node.Arguments[0]).Name);
        _slots.Add(slot);
        var body = Compile(node.Arguments[2]);
        _scope.RemoveAt(_scope.Count - 1);
        _slots.RemoveAt(_slots.Count - 1);
        return (row, context, variables) =>
        {
            var value = source(row, context, variables);
            if (value is null) return null;
            if (value is not List<object?> items) throw function.TypeError(1, "a list", value);
            var results = new List<object?>(items.Count);
            foreach (var item in items)
            {
                variables![slot] = item;
                results.Add(body(row, context, variables));
            }
            return results;
        };
    }
}

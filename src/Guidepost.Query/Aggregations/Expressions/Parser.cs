namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Recursive descent over C precedence, loosest first: <c>||</c>; <c>&amp;&amp;</c>;
/// <c>== !=</c>; <c>&lt; &lt;= &gt; &gt;=</c>; <c>+ -</c>; <c>* / %</c>; unary <c>! -</c>; postfix
/// <c>[i]</c> <c>[a:b]</c> <c>.name</c>. Function names and argument counts are checked here, where the
/// position is known.</summary>
internal sealed class Parser
{
    private static readonly string[][] Levels =
    [
        ["||"],
        ["&&"],
        ["==", "!="],
        ["<", "<=", ">", ">="],
        ["+", "-"],
        ["*", "/", "%"],
    ];

    private readonly List<Token> _tokens;
    private readonly List<string> _fields = [];
    private readonly List<string> _variables = [];
    private int _next;

    private Parser(string text) => _tokens = Lexer.Tokenize(text);

    /// <summary>The tree and every field path it reads, in order of first appearance.</summary>
    public static (Node Root, IReadOnlyList<string> Fields) Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.ParseLevel(0);
        parser.ExpectEnd();
        return (root, parser._fields);
    }

    private Token Current => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private static ExpressionException Error(Token at, string message) => new($"at position {at.Position}: {message}");

    private void Expect(string symbol)
    {
        if (!Current.Is(symbol)) throw Error(Current, $"expected '{symbol}' but found {Current.Describe()}");
        _next++;
    }

    private void ExpectEnd()
    {
        if (Current.Kind == TokenKind.End) return;
        RejectIn();
        throw Error(Current, $"expected an operator or the end of the expression but found {Current.Describe()}");
    }

    /// <summary>Pendo has no <c>in</c> operator; say what to write instead.</summary>
    private void RejectIn()
    {
        if (Current is { Kind: TokenKind.Name, Text: "in" })
            throw Error(Current, "there is no 'in' operator; chain comparisons with '||' instead, e.g. x == \"a\" || x == \"b\"");
    }

    private Node ParseLevel(int level)
    {
        if (level == Levels.Length) return ParseUnary();
        var left = ParseLevel(level + 1);
        while (true)
        {
            RejectIn();
            var token = Current;
            if (token.Kind != TokenKind.Symbol || Array.IndexOf(Levels[level], token.Text) < 0) return left;
            _next++;
            left = new Binary(token.Text, left, ParseLevel(level + 1));
        }
    }

    private Node ParseUnary()
    {
        if (Current.Is("!") || Current.Is("-"))
        {
            var op = Take().Text;
            var operand = ParseUnary();
            // -5 is the number -5, so a planner sees a literal.
            if (op == "-" && operand is Literal { Value: double number }) return new Literal(-number);
            return new Unary(op, operand);
        }
        return ParsePostfix(ParsePrimary());
    }

    private Node ParsePostfix(Node target)
    {
        while (true)
        {
            if (Current.Is("["))
            {
                _next++;
                target = ParseSubscript(target);
            }
            else if (Current.Is("."))
            {
                _next++;
                if (Current.Kind != TokenKind.Name) throw Error(Current, $"expected a member name after '.' but found {Current.Describe()}");
                foreach (var name in Take().Text.Split('.')) target = new Member(target, name);
            }
            else return target;
        }
    }

    private Node ParseSubscript(Node target)
    {
        Node? start = Current.Is(":") ? null : ParseLevel(0);
        if (start is not null && Current.Is("]"))
        {
            _next++;
            return new Index(target, start);
        }
        if (!Current.Is(":")) throw Error(Current, $"expected ']' or ':' but found {Current.Describe()}");
        _next++;
        Node? end = Current.Is("]") ? null : ParseLevel(0);
        Expect("]");
        return new Slice(target, start, end);
    }

    private Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
            case TokenKind.String:
                _next++;
                return new Literal(token.Value);
            case TokenKind.Name:
                _next++;
                return Current.Is("(") ? ParseCall(token) : Name(token);
            case TokenKind.Symbol when token.Text == "(":
                _next++;
                var inner = ParseLevel(0);
                Expect(")");
                return inner;
            case TokenKind.Symbol when token.Text == "[":
                _next++;
                return new ListLiteral(ParseList("]"));
            default:
                throw Error(token, $"expected a value, field, function call or '(' but found {token.Describe()}");
        }
    }

    private Node Name(Token token)
    {
        switch (token.Text)
        {
            case "true": return new Literal(true);
            case "false": return new Literal(false);
            case "null" or "nil": return new Literal(null);
        }
        var dot = token.Text.IndexOf('.');
        var head = dot < 0 ? token.Text : token.Text[..dot];
        if (_variables.Contains(head))
        {
            Node node = new Variable(head);
            if (dot >= 0)
                foreach (var name in token.Text[(dot + 1)..].Split('.')) node = new Member(node, name);
            return node;
        }
        if (!_fields.Contains(token.Text)) _fields.Add(token.Text);
        return new Field(token.Text);
    }

    private Node ParseCall(Token name)
    {
        if (!Functions.All.TryGetValue(name.Text, out var function))
            throw Error(name, $"unknown function '{name.Text}'");
        var open = Current;
        _next++;
        var arguments = name.Text == "map" ? ParseMap(name) : ParseList(")");
        if (arguments.Count < function.MinArgs || arguments.Count > function.MaxArgs)
            throw Error(open, $"{function.Name} takes {function.Arity}: {function.Signature}; got {arguments.Count}");
        return new Call(name.Text, arguments);
    }

    /// <summary><c>map(x, list, expr)</c>: <c>x</c> is bound while <c>expr</c> is parsed, so
    /// <c>x.items</c> is a member of the element, not a field of the row.</summary>
    private List<Node> ParseMap(Token name)
    {
        var variable = Current;
        if (variable.Kind != TokenKind.Name || variable.Text.Contains('.'))
            throw Error(variable, $"map(x, list, expr): expected a variable name as the first argument but found {variable.Describe()}");
        _next++;
        Expect(",");
        var list = ParseLevel(0);
        Expect(",");
        _variables.Add(variable.Text);
        var body = ParseLevel(0);
        _variables.RemoveAt(_variables.Count - 1);
        if (!Current.Is(")")) throw Error(Current, $"{Functions.All[name.Text].Signature}: expected ')' but found {Current.Describe()}");
        _next++;
        return [new Variable(variable.Text), list, body];
    }

    /// <summary>Comma-separated expressions up to <paramref name="close"/> (the opening symbol is taken).</summary>
    private List<Node> ParseList(string close)
    {
        var items = new List<Node>();
        if (Current.Is(close))
        {
            _next++;
            return items;
        }
        while (true)
        {
            items.Add(ParseLevel(0));
            if (Current.Is(close))
            {
                _next++;
                return items;
            }
            RejectIn();
            if (!Current.Is(",")) throw Error(Current, $"expected ',' or '{close}' but found {Current.Describe()}");
            _next++;
        }
    }
}

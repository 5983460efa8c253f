using System.Globalization;
using System.Text;

namespace Guidepost.Query.Aggregations.Expressions;

internal enum TokenKind
{
    Number,
    String,

    /// <summary>A name or a dotted path (<c>metadata.auto.lastvisit</c>); keywords are names too.</summary>
    Name,

    /// <summary>An operator or punctuation: <c>== != &lt;= &gt;= &amp;&amp; || &lt; &gt; ! + - * / % ( ) [ ] , : .</c></summary>
    Symbol,
    End,
}

/// <summary>One token; <see cref="Position"/> is the 1-based character position of its first character.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, object? Value, int Position)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.String => $"the string {Text}",
        _ => $"'{Text}'",
    };
}

/// <summary>Splits expression text into tokens. Names take their dots with them, so a field path is one
/// token; a dot after <c>]</c> or <c>)</c> is a symbol (<c>steps[0].type</c>).</summary>
internal static class Lexer
{
    private static readonly string[] TwoCharSymbols = ["==", "!=", "<=", ">=", "&&", "||"];
    private const string OneCharSymbols = "<>!+-*/%()[],:.";

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", null, text.Length + 1));
                return tokens;
            }
            var start = i;
            var c = text[i];
            var afterOperand = tokens.Count > 0 && (tokens[^1].Is("]") || tokens[^1].Is(")"));
            if (char.IsAsciiDigit(c) || (c == '.' && !afterOperand && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                tokens.Add(ReadNumber(text, ref i));
            else if (IsNameStart(c))
                tokens.Add(ReadName(text, ref i));
            else if (c == '"')
                tokens.Add(ReadQuoted(text, ref i));
            else if (c == '`')
            {
                var end = text.IndexOf('`', i + 1);
                if (end < 0) throw Error(start, "unterminated string: expected a closing '`'");
                var value = text[(i + 1)..end];
                i = end + 1;
                tokens.Add(new Token(TokenKind.String, text[start..i], value, start + 1));
            }
            else if (i + 1 < text.Length && Array.IndexOf(TwoCharSymbols, text.Substring(i, 2)) >= 0)
            {
                tokens.Add(new Token(TokenKind.Symbol, text.Substring(i, 2), null, start + 1));
                i += 2;
            }
            else if (OneCharSymbols.Contains(c))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), null, start + 1));
                i++;
            }
            else throw Error(start, c switch
            {
                '=' => "unexpected '='; compare with '=='",
                '&' => "unexpected '&'; the 'and' operator is '&&'",
                '|' => "unexpected '|'; the 'or' operator is '||'",
                '\'' => "unexpected \"'\"; quote strings with \" or `",
                _ => $"unexpected character '{c}'",
            });
        }
    }

    public static ExpressionException Error(int index, string message) => new($"at position {index + 1}: {message}");

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static Token ReadName(string text, ref int i)
    {
        var start = i;
        while (true)
        {
            while (i < text.Length && IsNamePart(text[i])) i++;
            // A dot continues the path only when a name part follows it (after a dot, a segment may start
            // with a digit: metadata.custom.2fa).
            if (i + 1 < text.Length && text[i] == '.' && IsNamePart(text[i + 1])) i++;
            else break;
        }
        return new Token(TokenKind.Name, text[start..i], null, start + 1);
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-') j++;
            if (j >= text.Length || !char.IsAsciiDigit(text[j])) throw Error(start, $"malformed number '{text[start..j]}': expected digits after the exponent");
            while (j < text.Length && char.IsAsciiDigit(text[j])) j++;
            i = j;
        }
        var literal = text[start..i];
        return new Token(TokenKind.Number, literal, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture), start + 1);
    }

    private static Token ReadQuoted(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length) throw Error(start, "unterminated string: expected a closing '\"'");
            var c = text[i++];
            if (c == '"') break;
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (i >= text.Length) throw Error(start, "unterminated string: expected a closing '\"'");
            var escape = text[i++];
            switch (escape)
            {
                case '"' or '\\' or '/' or '`': value.Append(escape); break;
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'u' when i + 4 <= text.Length && ushort.TryParse(text.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    value.Append((char)code);
                    i += 4;
                    break;
                default: throw Error(i - 2, $"unknown escape '\\{escape}' in a string (known: \\\" \\\\ \\/ \\n \\t \\r \\uXXXX)");
            }
        }
        return new Token(TokenKind.String, text[start..i], value.ToString(), start + 1);
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Guidepost.Tagging.Rules;

/// <summary>A page rule in Pendo's URL syntax, compiled to one regular expression over the full URL.</summary>
/// <remarks>
/// Syntax, as Pendo documents it:
/// <list type="bullet">
/// <item><c>//host/path</c> matches http and https; <c>https://…</c> only https. A host of <c>*</c> is any host.</item>
/// <item><c>*</c> matches any characters within one path segment; <c>*parameter*</c> does too and names the
/// value, so each value can be reported as a sub-page.</item>
/// <item><c>**</c>, last, ignores everything after it (a "starts with" rule).</item>
/// <item><c>~contains:text</c>, last, matches any rest of the path that contains <c>text</c>.</item>
/// <item><c>?name</c> requires a query parameter, <c>?name=value</c> its value, <c>&amp;</c> joins several; other
/// parameters are ignored, and without any the query is ignored.</item>
/// <item><c>#fragment</c> must match exactly (no wildcards after <c>#</c>); without one the fragment is ignored.</item>
/// </list>
/// Paths are case-sensitive, hosts are not, and a trailing slash never matters.
/// </remarks>
public sealed class PageRule
{
    public const int MaxLength = 2048;
    private const string ParameterToken = "*parameter*";
    private const string ContainsToken = "~contains:";

    private readonly Regex _regex;

    private PageRule(string text, string pattern, string jsPattern)
    {
        Text = text;
        Pattern = pattern;
        JsPattern = jsPattern;
        _regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    public string Text { get; }

    /// <summary>The compiled expression; Pendo shows it as the rule's <c>parsedRule</c>.</summary>
    public string Pattern { get; }

    /// <summary>The same expression for a browser's <c>RegExp</c> (a guide step's <c>regexUrlRule</c>): JavaScript
    /// engines before 2025 lack inline case-insensitivity, so the host is matched in lower case, and the URL it is
    /// tested against must have a lower-case host (the server sends guide.json's <c>normalizedUrl</c> so). It has no
    /// named group, so that the rules of one page can be joined with <c>|</c>.</summary>
    public string JsPattern { get; }

    public bool Matches(string url) => _regex.IsMatch(url);

    /// <summary>The value a <c>*parameter*</c> segment took in <paramref name="url"/>, or null.</summary>
    public string? Parameter(string url) => _regex.Match(url) is { Success: true } m && m.Groups["parameter"].Success ? m.Groups["parameter"].Value : null;

    public static PageRule Parse(string text) =>
        TryParse(text, out var rule, out var error) ? rule : throw new ArgumentException(error!.ToString(), nameof(text));

    public static bool TryParse(string text, out PageRule rule, out RuleError? error)
    {
        rule = null!;
        error = Compile(text, out var pattern, out var jsPattern);
        if (error is not null) return false;
        rule = new PageRule(text, pattern!, jsPattern!);
        return true;
    }

    private static RuleError? Compile(string text, out string? pattern, out string? jsPattern)
    {
        (pattern, jsPattern) = (null, null);
        RuleError Fail(string problem, int? at = null) => new(text, problem, at);

        if (string.IsNullOrWhiteSpace(text)) return Fail("a page rule cannot be empty.");
        if (text.Length > MaxLength) return Fail($"a page rule has at most {MaxLength} characters.");
        if (text.IndexOfAny([' ', '\t', '\n', '\r']) is var space and >= 0) return Fail("URLs cannot contain whitespace.", space);

        var regex = new StringBuilder("^");
        int rest;
        if (text.StartsWith("//", StringComparison.Ordinal)) (regex, rest) = (regex.Append("https?://"), 2);
        else if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) (regex, rest) = (regex.Append("https://"), 8);
        else if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) (regex, rest) = (regex.Append("http://"), 7);
        else return Fail("a page rule starts with // (any protocol), http:// or https://, for example //*/reports/*.", 0);

        var hostEnd = text.IndexOfAny(['/', '?', '#'], rest);
        if (hostEnd < 0) hostEnd = text.Length;
        var host = text[rest..hostEnd];
        if (host.Length == 0) return Fail("the host is missing; use * for any host, as in //*/path.", rest);
        if (host.Contains("**", StringComparison.Ordinal)) return Fail("** is only allowed at the end of the path.", rest + host.IndexOf("**", StringComparison.Ordinal));
        if (host != "*" && host.Replace("*", "").IndexOfAny(['~', '\\']) is var badHost and >= 0)
            return Fail("the host has a character a host cannot have.", rest + badHost);
        var hostPattern = host == "*" ? "[^/?#]*" : "(?i:" + Wildcards(host, "[^/?#.]*") + ")";
        var jsHostPattern = host == "*" ? hostPattern : Wildcards(host.ToLowerInvariant(), "[^/?#.]*");
        var hostAt = regex.Length;
        regex.Append(hostPattern);

        var fragmentAt = text.IndexOf('#', hostEnd);
        var queryAt = text.IndexOf('?', hostEnd);
        if (queryAt > fragmentAt && fragmentAt >= 0) queryAt = -1; // a ? inside the fragment is part of it
        var pathEnd = queryAt >= 0 ? queryAt : fragmentAt >= 0 ? fragmentAt : text.Length;
        var path = text[hostEnd..pathEnd];

        var ignoresRest = false;
        var segments = path.Length == 0 ? [] : path[1..].Split('/');
        var offset = hostEnd + 1;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment.Length == 0 && last) break; // trailing slash
            if (segment == "**")
            {
                if (!last) return Fail("** ignores everything after it, so it must end the path.", offset);
                if (queryAt >= 0 || fragmentAt >= 0) return Fail("nothing can follow **; it already matches any query and fragment.", offset);
                regex.Append("(?:[/?#].*)?");
                ignoresRest = true;
                break;
            }
            if (segment.StartsWith(ContainsToken, StringComparison.Ordinal))
            {
                var wanted = segment[ContainsToken.Length..];
                if (wanted.Length == 0) return Fail("~contains: needs the text to look for, as in ~contains:dashboard.", offset);
                if (!last) return Fail("~contains: matches the rest of the path, so it must end the path.", offset);
                regex.Append("/[^?#]*").Append(Regex.Escape(wanted)).Append("[^?#]*");
                break;
            }
            if (segment.Contains("**", StringComparison.Ordinal)) return Fail("** must stand alone at the end of the path.", offset + segment.IndexOf("**", StringComparison.Ordinal));
            if (segment.Contains(ContainsToken, StringComparison.Ordinal))
                return Fail("~contains: must start a path segment, as in /users/~contains:dashboard.", offset + segment.IndexOf(ContainsToken, StringComparison.Ordinal));
            regex.Append('/').Append(segment == ParameterToken ? "(?<parameter>[^/?#]+)" : Wildcards(segment, "[^/?#]*"));
            offset += segment.Length + 1;
        }
        if (!ignoresRest) regex.Append("/?");

        var lookaheads = new StringBuilder();
        if (queryAt >= 0)
        {
            var queryEnd = fragmentAt >= 0 ? fragmentAt : text.Length;
            var conditions = text[(queryAt + 1)..queryEnd];
            if (conditions.Length == 0) return Fail("? must be followed by a parameter name, as in ?tab or ?tab=settings.", queryAt);
            foreach (var condition in conditions.Split('&'))
            {
                var equals = condition.IndexOf('=');
                var name = equals < 0 ? condition : condition[..equals];
                if (name.Length == 0) return Fail("a query condition needs a parameter name.", queryAt);
                if (condition.Contains('*')) return Fail("query conditions cannot contain wildcards.", queryAt + 1 + conditions.IndexOf(condition, StringComparison.Ordinal));
                var value = equals < 0 ? "(?:=[^&#]*)?" : "=" + Regex.Escape(condition[(equals + 1)..]);
                lookaheads.Append("(?=[^?#]*\\?(?:[^#]*&)?").Append(Regex.Escape(name)).Append(value).Append("(?:[&#]|$))");
            }
        }
        if (!ignoresRest)
        {
            regex.Append("(?:\\?[^#]*)?");
            if (fragmentAt >= 0)
            {
                var fragment = text[fragmentAt..];
                if (fragment.Contains('*')) return Fail("wildcards cannot follow # in a page rule.", fragmentAt + fragment.IndexOf('*'));
                regex.Append(Regex.Escape(fragment.TrimEnd('/'))).Append("/?");
            }
            else regex.Append("(?:#.*)?");
        }
        regex.Append('$');
        pattern = regex.ToString().Insert(1, lookaheads.ToString());
        // No named group either: several rules of one page join into one expression, where a name may appear once.
        jsPattern = regex.Remove(hostAt, hostPattern.Length).Insert(hostAt, jsHostPattern).Replace("(?<parameter>", "(?:").ToString().Insert(1, lookaheads.ToString());
        return null;
    }

    /// <summary>Escapes a literal part of the rule, turning each <c>*</c> into <paramref name="wildcard"/>.</summary>
    private static string Wildcards(string literal, string wildcard) =>
        string.Join(wildcard, literal.Split('*').Select(Regex.Escape));
}

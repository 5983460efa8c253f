using System.IO.Hashing;
using System.Text;
using Guidepost.Core.Events;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Functions about Pendo's own ids: hashes, anonymous visitors, accounts, event types, apps.</summary>
internal static class PendoFunctions
{
    private static readonly HashSet<string> AppFilters = new(StringComparer.Ordinal) { "*", "web", "extension", "mobile", "ios", "android" };

    public static IEnumerable<FunctionSpec> All =>
    [
        new("hash", "hash(string)", 1, 1, (a, _, f) => (double)Hash(IdText(a, f))),
        new("identified", "identified(visitorId)", 1, 1, (a, _, f) => Operators.Box(!AnonymousVisitors.Is(IdText(a, f)))),
        // Guidepost has no parent accounts yet, so every account is its own parent ("the id itself if it
        // has no parent") and has no child (null).
        new("parentAccountId", "parentAccountId(accountId)", 1, 1, (a, _, f) => IdText(a, f)),
        new("childAccountId", "childAccountId(accountId)", 1, 1, (a, context, f) =>
        {
            _ = IdText(a, f);
            return null;
        }),
        new("eventSubType", "eventSubType(type)", 1, 1, (a, _, f) =>
        {
            var type = f.String(a, 0);
            return type[(type.LastIndexOf(':') + 1)..];
        }),
        new("expandAppIds", "expandAppIds(filter)", 1, 1, ExpandAppIds),
    ];

    /// <summary>XxHash32 of the UTF-8 bytes, unsigned: what the visitors API reports as
    /// <c>metadata.auto.idhash</c>.</summary>
    public static uint Hash(string text) => XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(text));

    /// <summary>An id argument: a string, or a number read as its text (ids arrive as JSON numbers too).</summary>
    private static string IdText(ReadOnlySpan<object?> args, FunctionSpec function) => args[0] switch
    {
        string text => text,
        double number => Values.ToText(number),
        var other => throw function.TypeError(0, "a string", other),
    };

    /// <summary>The app ids a filter such as <c>web|mobile</c> names; the filter is checked here, the
    /// lookup is the caller's.</summary>
    private static object? ExpandAppIds(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var filter = function.String(args, 0);
        foreach (var part in filter.Split('|'))
        {
            if (!AppFilters.Contains(part))
                throw function.Fail($"unknown app filter '{part}' in \"{filter}\"; expected *, web, extension, mobile, ios or android, several joined with | and no spaces");
        }
        var expand = context.ExpandAppIds ?? throw function.Fail("app ids cannot be expanded here");
        var ids = expand(filter);
        var list = new List<object?>(ids.Count);
        foreach (var id in ids) list.Add(id);
        return list;
    }
}

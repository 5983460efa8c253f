using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Guidepost.Guides.Content;

/// <summary>What the Pendo agent (2.291.4, <c>buildNodeFromJSON</c>, <c>getAllowedAttributes</c> and the
/// <c>EventRouter</c>) accepts in a building-block tree, narrowed to what renders as the author meant.</summary>
internal static partial class BuildingBlockRules
{
    public const int MaxDepth = 24;
    public const int MaxNodes = 2000;
    public const int MaxStringLength = 20_000;

    public static readonly FrozenSet<string> NodeKeys =
        FrozenSet.Create("type", "props", "content", "children", "actions", "css");

    public static readonly FrozenSet<string> Tags = FrozenSet.Create(
        "a", "b", "blockquote", "br", "button", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "iframe", "img", "input", "label", "li", "ol", "option", "p", "pre", "s", "select", "small", "source", "span",
        "strong", "style", "sub", "sup", "table", "tbody", "td", "textarea", "th", "thead", "tr", "u", "ul", "video");

    /// <summary>The agent's allow-list; it also takes every <c>data-*</c> and <c>aria-*</c>.</summary>
    public static readonly FrozenSet<string> Props = FrozenSet.Create(
        "allow", "allowfullscreen", "alt", "alt-text", "autofocus", "class", "cols", "contenteditable", "dir", "for",
        "frameborder", "href", "id", "loading", "name", "placeholder", "placement", "rows", "role", "sandbox", "scoped",
        "src", "start", "style", "tabindex", "target", "title", "type", "value");

    public static readonly FrozenSet<string> UrlProps = FrozenSet.Create("href", "src");

    public static readonly FrozenSet<string> VerticalAlignments = FrozenSet.Create(
        "Centered", "Top Aligned", "Bottom Aligned", "Left Aligned", "Right Aligned", "Top Left Aligned",
        "Top Right Aligned", "Bottom Left Aligned", "Bottom Right Aligned", "Relative to Element");

    public static readonly FrozenSet<string> EventTypes = FrozenSet.Create("click", "change", "input");

    public static readonly FrozenSet<string> LinkTargets = FrozenSet.Create("_blank", "_self", "_parent", "_top");

    public const string RelativeToElement = "Relative to Element";

    /// <summary>Each supported action and the check of its parameters (as the <c>EventRouter</c> reads them);
    /// a check returns what is wrong, or null.</summary>
    public static readonly FrozenDictionary<string, Func<IReadOnlyList<JsonElement>, string?>> Actions =
        new Dictionary<string, Func<IReadOnlyList<JsonElement>, string?>>
        {
            ["advanceGuide"] = _ => null,
            ["previousStep"] = _ => null,
            ["dismissGuide"] = _ => null,
            ["submitPoll"] = _ => null,
            ["confirmation"] = _ => null,
            ["goToStep"] = p => RequireString(p, "goToStepId"),
            ["submitPollAndGoToStep"] = p => RequireString(p, "goToStepId"),
            ["guideSnoozed"] = SnoozeDuration,
            ["openLink"] = OpenLink,
            ["showGuide"] = p => FirstIsString(p, "the guide id"),
            ["launchGuide"] = p => FirstIsString(p, "the guide id"),
            ["showElements"] = p => RequireString(p, "selectors"),
            ["hideElements"] = p => RequireString(p, "selectors"),
            ["slideElement"] = p => RequireString(p, "selector") ?? RequireString(p, "transition") ?? RequireString(p, "left"),
        }.ToFrozenDictionary();

    /// <summary>The name of a scheme that runs code or embeds a document, or null for a safe URL.</summary>
    public static string? UnsafeScheme(string url, bool allowDataImages)
    {
        // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
        var compact = new string(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
        if (compact.StartsWith("javascript:", StringComparison.Ordinal)) return "javascript:";
        if (compact.StartsWith("vbscript:", StringComparison.Ordinal)) return "vbscript:";
        if (compact.StartsWith("data:", StringComparison.Ordinal) && !(allowDataImages && compact.StartsWith("data:image/", StringComparison.Ordinal)))
            return "data:";
        return null;
    }

    public static bool IsUnsafeStyleValue(string value)
    {
        var lower = value.ToLowerInvariant();
        return lower.Contains("javascript:", StringComparison.Ordinal) || lower.Contains("expression(", StringComparison.Ordinal);
    }

    /// <summary>The agent finds elements with unescaped <c>#id</c> and <c>[data-pendo-poll-id=…]</c> selectors.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    public static partial Regex SelectorSafeId();

    private static JsonElement? Find(IReadOnlyList<JsonElement> parameters, string name) =>
        parameters.FirstOrDefault(p => p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == name) is
            { ValueKind: JsonValueKind.Object } found ? found.GetProperty("value") : null;

    private static string? RequireString(IReadOnlyList<JsonElement> parameters, string name) =>
        Find(parameters, name) is { ValueKind: JsonValueKind.String } value && value.GetString()!.Length > 0
            ? null
            : $"needs a parameter {{\"name\":\"{name}\",\"value\":<non-empty string>}}";

    private static string? FirstIsString(IReadOnlyList<JsonElement> parameters, string what) =>
        parameters.Count > 0 && parameters[0].GetProperty("value") is { ValueKind: JsonValueKind.String } v && v.GetString()!.Length > 0
            ? null
            : $"needs {what} as the value of its first parameter";

    private static string? SnoozeDuration(IReadOnlyList<JsonElement> parameters) =>
        parameters.Count == 0 || parameters[0].GetProperty("value") is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var ms) && ms > 0
            ? null
            : "takes no parameters (one day) or a first parameter whose value is the snooze duration in milliseconds (a positive integer)";

    private static string? OpenLink(IReadOnlyList<JsonElement> parameters)
    {
        if (RequireString(parameters, "url") is { } missingUrl) return missingUrl;
        if (UnsafeScheme(Find(parameters, "url")!.Value.GetString()!, allowDataImages: false) is { } scheme)
            return $"url uses the {scheme} scheme; expected an http(s), mailto or relative URL";
        return Find(parameters, "target") is { ValueKind: JsonValueKind.String } target && LinkTargets.Contains(target.GetString()!)
            ? null
            : "needs a parameter {\"name\":\"target\",\"value\":\"_blank\"|\"_self\"|\"_parent\"|\"_top\"} (the agent reads it unconditionally)";
    }
}

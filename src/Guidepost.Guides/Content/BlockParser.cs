using System.Text.Json;

namespace Guidepost.Guides.Content;

/// <summary>Reads one authored block (<c>heading</c>, <c>text</c>, <c>image</c>, <c>button</c>, <c>poll</c>,
/// <c>policy</c>) and the localized texts inside it.</summary>
internal static class BlockParser
{
    private const int MaxTextLength = 5000;
    private const int MaxOptions = 20;

    private static readonly Dictionary<string, string[]> CompanionKeys = new()
    {
        ["heading"] = [], ["text"] = [], ["image"] = ["alt"], ["button"] = ["action", "url", "target", "stepIndex", "guideId"],
        ["poll"] = [], ["policy"] = [],
    };

    public static Block? Parse(JsonElement json, string path, ICollection<ContentError> errors)
    {
        var kinds = json.ValueKind == JsonValueKind.Object
            ? json.EnumerateObject().Select(m => m.Name).Where(CompanionKeys.ContainsKey).ToList()
            : [];
        if (kinds.Count != 1)
        {
            errors.Add(new(path, "expected a block object with exactly one of heading, text, image, button, poll or policy"));
            return null;
        }
        var kind = kinds[0];
        foreach (var member in json.EnumerateObject())
            if (member.Name != kind && !CompanionKeys[kind].Contains(member.Name))
                errors.Add(new(JsonPath.Member(path, member.Name), $"unknown key '{member.Name}' on a {kind} block"));
        var value = json.GetProperty(kind);
        var valuePath = JsonPath.Member(path, kind);
        return kind switch
        {
            "heading" => Text(value, valuePath, errors) is { } heading ? new HeadingBlock(path, heading) : null,
            "text" => Text(value, valuePath, errors) is { } text ? new TextBlock(path, text) : null,
            "image" => Image(json, value, path, valuePath, errors),
            "button" => Button(json, value, path, valuePath, errors),
            "poll" => Poll(value, path, valuePath, errors),
            _ => Policy(value, path, valuePath, errors),
        };
    }

    /// <summary>A string, or an object of language → string.</summary>
    public static LocalizedText? Text(JsonElement value, string path, ICollection<ContentError> errors)
    {
        const string expected = "expected a non-empty string or an object of language → non-empty string, such as {\"en\": \"Hi\", \"fr\": \"Salut\"}";
        if (value.ValueKind == JsonValueKind.String)
            return IsText(value) ? LocalizedText.Plain(value.GetString()!) : Fail(errors, path, expected);
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
            return Fail(errors, path, expected);
        var byLanguage = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in value.EnumerateObject())
        {
            if (language.Name.Length is 0 or > 35 || !IsText(language.Value))
                errors.Add(new(JsonPath.Member(path, language.Name), expected));
            else byLanguage[language.Name] = language.Value.GetString()!;
        }
        return byLanguage.Count == value.EnumerateObject().Count() ? new LocalizedText(byLanguage) : null;
    }

    private static ImageBlock? Image(JsonElement json, JsonElement value, string path, string valuePath, ICollection<ContentError> errors)
    {
        var url = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add(new(valuePath, "expected an absolute http(s) image URL"));
            return null;
        }
        LocalizedText? alt = null;
        if (json.TryGetProperty("alt", out var altJson) && (alt = Text(altJson, JsonPath.Member(path, "alt"), errors)) is null) return null;
        return new ImageBlock(path, url, alt);
    }

    private static ButtonBlock? Button(JsonElement json, JsonElement value, string path, string valuePath, ICollection<ContentError> errors)
    {
        var label = Text(value, valuePath, errors);
        var actionPath = JsonPath.Member(path, "action");
        ButtonAction? action = json.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString() switch
            {
                "next" => ButtonAction.Next, "previous" => ButtonAction.Previous, "dismiss" => ButtonAction.Dismiss,
                "snooze" => ButtonAction.Snooze, "link" => ButtonAction.Link, "goToStep" => ButtonAction.GoToStep, "showGuide" => ButtonAction.ShowGuide, _ => null,
            }
            : null;
        if (action is null)
        {
            errors.Add(new(actionPath, "expected action \"next\", \"previous\", \"dismiss\", \"snooze\", \"link\", \"goToStep\" or \"showGuide\""));
            return null;
        }
        string? url = null, target = null;
        int? stepIndex = null;
        var before = errors.Count;
        if (action == ButtonAction.Link)
        {
            url = json.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (url is null || !IsLinkUrl(url))
                errors.Add(new(JsonPath.Member(path, "url"), "a link button needs a url: absolute http(s), mailto: or a path starting with /"));
            target = "_blank";
            if (json.TryGetProperty("target", out var t))
            {
                if (t.ValueKind == JsonValueKind.String && t.GetString() is "_blank" or "_self") target = t.GetString();
                else errors.Add(new(JsonPath.Member(path, "target"), "expected target \"_blank\" (the default) or \"_self\""));
            }
        }
        else
            foreach (var key in new[] { "url", "target" })
                if (json.TryGetProperty(key, out _)) errors.Add(new(JsonPath.Member(path, key), $"{key} applies only to link buttons"));

        if (action == ButtonAction.GoToStep)
        {
            if (json.TryGetProperty("stepIndex", out var s)) stepIndex = StepContentParser.Int(s, JsonPath.Member(path, "stepIndex"), 0, 999, errors);
            else errors.Add(new(JsonPath.Member(path, "stepIndex"), "a goToStep button needs stepIndex, the 0-based index of the destination step"));
        }
        else if (json.TryGetProperty("stepIndex", out _))
            errors.Add(new(JsonPath.Member(path, "stepIndex"), "stepIndex applies only to goToStep buttons"));

        string? guideId = null;
        if (action == ButtonAction.ShowGuide)
        {
            guideId = json.TryGetProperty("guideId", out var g) && g.ValueKind == JsonValueKind.String && BuildingBlockRules.SelectorSafeId().IsMatch(g.GetString()!) ? g.GetString() : null;
            if (guideId is null) errors.Add(new(JsonPath.Member(path, "guideId"), "a showGuide button needs guideId, the id of the guide to show"));
        }
        else if (json.TryGetProperty("guideId", out _))
            errors.Add(new(JsonPath.Member(path, "guideId"), "guideId applies only to showGuide buttons"));

        return label is null || errors.Count != before ? null : new ButtonBlock(path, label, action.Value, url, target, stepIndex, guideId);
    }

    private static PollBlock? Poll(JsonElement value, string path, string valuePath, ICollection<ContentError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(valuePath, "expected {type, question, options?, min?, max?, minLabel?, maxLabel?}"));
            return null;
        }
        var typePath = JsonPath.Member(valuePath, "type");
        var typeName = value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (typeName == "multipleChoice")
        {
            // submitPoll reads one value per [data-pendo-poll-id] element (the first checked radio, text,
            // select or textarea): checkboxes are never read, so several answers would be silently lost.
            errors.Add(new(typePath, "multipleChoice (several answers) cannot be collected by the Pendo agent, which reads one checked radio per poll; use singleChoice, or one poll per option"));
            return null;
        }
        PollKind? kind = typeName switch
        {
            "singleChoice" => PollKind.SingleChoice, "freeText" => PollKind.FreeText,
            "numberScale" => PollKind.NumberScale, "nps" => PollKind.Nps, _ => null,
        };
        if (kind is null)
        {
            errors.Add(new(typePath, "expected poll type \"singleChoice\", \"freeText\", \"numberScale\" or \"nps\""));
            return null;
        }
        var allowed = kind switch
        {
            PollKind.SingleChoice => new[] { "type", "question", "options" },
            PollKind.FreeText => ["type", "question"],
            PollKind.NumberScale => ["type", "question", "min", "max", "minLabel", "maxLabel"],
            _ => ["type", "question", "minLabel", "maxLabel"],
        };
        var before = errors.Count;
        foreach (var member in value.EnumerateObject())
            if (!allowed.Contains(member.Name))
                errors.Add(new(JsonPath.Member(valuePath, member.Name), $"unknown key '{member.Name}' on a {typeName} poll; expected {string.Join(", ", allowed)}"));

        var question = value.TryGetProperty("question", out var q)
            ? Text(q, JsonPath.Member(valuePath, "question"), errors)
            : Fail(errors, JsonPath.Member(valuePath, "question"), "a poll needs a question");
        var options = new List<LocalizedText>();
        if (kind == PollKind.SingleChoice)
        {
            var optionsPath = JsonPath.Member(valuePath, "options");
            if (!value.TryGetProperty("options", out var o) || o.ValueKind != JsonValueKind.Array || o.GetArrayLength() is < 2 or > MaxOptions)
                errors.Add(new(optionsPath, $"a singleChoice poll needs 2 to {MaxOptions} options"));
            else
                for (var i = 0; i < o.GetArrayLength(); i++)
                    if (Text(o[i], JsonPath.Index(optionsPath, i), errors) is { } option) options.Add(option);
        }
        var (min, max) = kind == PollKind.Nps ? (0, 10) : (1, 5);
        if (kind == PollKind.NumberScale)
        {
            if (value.TryGetProperty("min", out var minJson)) min = StepContentParser.Int(minJson, JsonPath.Member(valuePath, "min"), 0, 10, errors) ?? min;
            if (value.TryGetProperty("max", out var maxJson)) max = StepContentParser.Int(maxJson, JsonPath.Member(valuePath, "max"), 1, 10, errors) ?? max;
            if (min >= max) errors.Add(new(valuePath, "min must be below max"));
        }
        var minLabel = value.TryGetProperty("minLabel", out var minL) ? Text(minL, JsonPath.Member(valuePath, "minLabel"), errors) : null;
        var maxLabel = value.TryGetProperty("maxLabel", out var maxL) ? Text(maxL, JsonPath.Member(valuePath, "maxLabel"), errors) : null;
        return errors.Count != before ? null : new PollBlock(path, kind.Value, question!, options, min, max, minLabel, maxLabel);
    }

    private static PolicyBlock? Policy(JsonElement value, string path, string valuePath, ICollection<ContentError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(valuePath, "expected {version, text, accept}"));
            return null;
        }
        var before = errors.Count;
        foreach (var member in value.EnumerateObject())
            if (member.Name is not ("version" or "text" or "accept"))
                errors.Add(new(JsonPath.Member(valuePath, member.Name), $"unknown key '{member.Name}' on a policy; expected version, text, accept"));
        var version = value.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length is > 0 and <= 100
            ? v.GetString()
            : Fail<string>(errors, JsonPath.Member(valuePath, "version"), "a policy needs a version string (1 to 100 characters), recorded with each acceptance");
        var text = value.TryGetProperty("text", out var t) ? Text(t, JsonPath.Member(valuePath, "text"), errors) : Fail(errors, JsonPath.Member(valuePath, "text"), "a policy needs its text");
        var accept = value.TryGetProperty("accept", out var a) ? Text(a, JsonPath.Member(valuePath, "accept"), errors) : LocalizedText.Plain("I accept");
        return errors.Count != before ? null : new PolicyBlock(path, version!, text!, accept!);
    }

    private static bool IsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0 && value.GetString()!.Length <= MaxTextLength;

    private static bool IsLinkUrl(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        || Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "mailto";

    private static T? Fail<T>(ICollection<ContentError> errors, string path, string message) where T : class
    {
        errors.Add(new(path, message));
        return null;
    }

    private static LocalizedText? Fail(ICollection<ContentError> errors, string path, string message) => Fail<LocalizedText>(errors, path, message);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Tagging.Catalog;
using Guidepost.Guides.Content;
using Guidepost.Tagging.Rules;

namespace Guidepost.Guides.Authoring;

/// <summary>What an author says about a guide: how it launches, whom it targets, when and how often it may
/// show, and its steps. Stored as JSON (the draft and each version); parsed again wherever it is used.</summary>
public sealed record GuideDefinition(
    string Kind,
    string LaunchMethod,
    GuideActivation? Activation,
    GuideBadge? Badge,
    string? SegmentId,
    string Device,
    int Priority,
    long? ShowsAfter,
    long? ExpiresAfter,
    bool OverrideThrottling,
    GuideRedisplay? Redisplay,
    bool IsOnboarding,
    bool DoNotResume,
    string AuthoredLanguage,
    string? ThemeId,
    IReadOnlyList<StepDefinition> Steps)
{
    public const int MaxSteps = 50;

    public static readonly IReadOnlyList<string> Kinds = ["guide", "announcement", "poll", "nps", "policy"];
    public static readonly IReadOnlyList<string> LaunchMethods = ["auto", "api", "badge", "dom", "launcher", "permalink"];
    public static readonly IReadOnlyList<string> Devices = ["all", "desktop", "mobile"];

    public bool IsAutomatic => LaunchMethod.Split('-').Contains("auto");

    /// <summary>Parses and checks a definition; problems are added to <paramref name="errors"/> with their path.
    /// Steps without an id get a new one, so the returned definition is the one to store.</summary>
    public static GuideDefinition? Parse(JsonElement json, List<ContentError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("", "a guide is a JSON object."));
            return null;
        }
        var reader = new FieldReader(json, "", errors);
        var kind = reader.OneOf("kind", Kinds, "guide");
        var launch = reader.String("launchMethod") ?? "auto";
        if (launch.Split('-') is var methods && methods.Any(m => !LaunchMethods.Contains(m)))
            errors.Add(new("launchMethod", $"'{launch}' is not a launch method; use {string.Join(", ", LaunchMethods)}, or several joined by '-' (auto-badge)."));
        var activation = GuideActivation.Parse(json, errors);
        if (activation is null && methods.Contains("dom"))
            errors.Add(new("activation", "a guide launched by an element (dom) needs activation.selector, the CSS selector of the element."));
        var badge = GuideBadge.Parse(json, methods.Contains("badge"), errors);
        var segmentId = reader.Object("audience") is { } audience ? new FieldReader(audience, "audience", errors).String("segmentId") : null;
        var device = reader.OneOf("device", Devices, "all");
        var priority = reader.Integer("priority", 0, -1000, 1000);
        var showsAfter = reader.Time("showsAfter");
        var expiresAfter = reader.Time("expiresAfter");
        if (showsAfter >= expiresAfter) errors.Add(new("expiresAfter", "expiresAfter must come after showsAfter."));
        var redisplay = GuideRedisplay.Parse(json, errors);
        var language = reader.String("authoredLanguage") ?? "en";
        if (!Delivery.GuideLanguages.IsCode(language)) errors.Add(new("authoredLanguage", $"'{language}' is not a two-letter language code such as en or fr."));
        var steps = new List<StepDefinition>();
        if (!json.TryGetProperty("steps", out var stepsJson) || stepsJson.ValueKind != JsonValueKind.Array || stepsJson.GetArrayLength() == 0)
            errors.Add(new("steps", "steps must be a non-empty array of steps."));
        else if (stepsJson.GetArrayLength() > MaxSteps) errors.Add(new("steps", $"a guide has at most {MaxSteps} steps."));
        else
        {
            var i = 0;
            foreach (var step in stepsJson.EnumerateArray())
                if (StepDefinition.Parse(step, $"steps[{i++}]", errors) is { } parsed) steps.Add(parsed);
            foreach (var duplicate in steps.GroupBy(s => s.Id).Where(g => g.Count() > 1))
                errors.Add(new("steps", $"two steps have the id '{duplicate.Key}'; step ids are unique within a guide."));
        }
        if (badge is not null && steps.Count > 0 && steps.All(s => s.ElementRule is null))
            errors.Add(new("badge", "a badge sits by an element: give a step elementRule, the CSS selector of the element it marks."));
        return new GuideDefinition(kind, launch, activation, badge, segmentId, device, priority, showsAfter, expiresAfter,
            reader.Boolean("overrideThrottling"), redisplay, reader.Boolean("isOnboarding"), reader.Boolean("doNotResume"), language,
            reader.String("themeId"), steps);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["kind"] = Kind,
            ["launchMethod"] = LaunchMethod,
            ["device"] = Device,
            ["priority"] = Priority,
            ["overrideThrottling"] = OverrideThrottling,
            ["isOnboarding"] = IsOnboarding,
            ["doNotResume"] = DoNotResume,
            ["authoredLanguage"] = AuthoredLanguage,
        };
        if (Activation is { } activation)
            json["activation"] = new JsonObject { ["selector"] = activation.Selector, ["event"] = new JsonArray([.. activation.Events.Select(e => JsonValue.Create(e))]) };
        if (Badge is { } badge)
        {
            json["badge"] = new JsonObject { ["position"] = badge.Position, ["width"] = badge.Width, ["height"] = badge.Height };
            if (badge.ImageUrl is not null) json["badge"]!["imageUrl"] = badge.ImageUrl;
        }
        if (SegmentId is not null) json["audience"] = new JsonObject { ["segmentId"] = SegmentId };
        if (ShowsAfter is { } shows) json["showsAfter"] = shows;
        if (ExpiresAfter is { } expires) json["expiresAfter"] = expires;
        if (Redisplay is { } redisplay) json["redisplay"] = new JsonObject { ["intervalDays"] = redisplay.IntervalDays, ["maxDismissals"] = redisplay.MaxDismissals };
        if (ThemeId is not null) json["themeId"] = ThemeId;
        json["steps"] = new JsonArray([.. Steps.Select(s => (JsonNode)s.ToJson())]);
        return json;
    }
}

/// <summary>A guide launched by an element: the element, and the events on it that launch the guide.</summary>
public sealed record GuideActivation(string Selector, IReadOnlyList<string> Events)
{
    internal static GuideActivation? Parse(JsonElement guide, List<ContentError> errors)
    {
        if (!guide.TryGetProperty("activation", out var json) || json.ValueKind == JsonValueKind.Null) return null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("activation", "activation is an object {selector, event}."));
            return null;
        }
        var reader = new FieldReader(json, "activation", errors);
        var selector = reader.String("selector");
        if (selector is null)
        {
            errors.Add(new("activation.selector", "activation needs selector, the CSS selector of the element that launches the guide."));
            return null;
        }
        if (!FeatureRule.TryParse(selector, out _, out var error)) errors.Add(new("activation.selector", error!.ToString()));
        var events = reader.Strings("event") ?? ["click"];
        if (events.FirstOrDefault(e => e is not ("click" or "hover")) is { } other)
            errors.Add(new("activation.event", $"'{other}' cannot launch a guide; use click or hover."));
        return new GuideActivation(selector, events);
    }
}

/// <summary>A guide launched by a badge: a small image by the element of its first step with an elementRule, which
/// opens the guide when clicked. Without an image, Guidepost's own badge is shown.</summary>
public sealed record GuideBadge(string Position, string? ImageUrl, int Width, int Height)
{
    public static readonly IReadOnlyList<string> Positions = ["top-right", "top-left", "inline", "inline-left", "inline-right"];

    internal static GuideBadge? Parse(JsonElement guide, bool launchedByBadge, List<ContentError> errors)
    {
        var given = guide.TryGetProperty("badge", out var json) && json.ValueKind != JsonValueKind.Null;
        if (given && !launchedByBadge)
        {
            errors.Add(new("badge", "badge applies only to a guide whose launchMethod includes badge."));
            return null;
        }
        if (!launchedByBadge) return null;
        if (given && json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("badge", "badge is an object {position, imageUrl, width, height}."));
            return null;
        }
        var reader = new FieldReader(given ? json : default, "badge", errors);
        var imageUrl = reader.String("imageUrl");
        if (imageUrl is not null && !(Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            errors.Add(new("badge.imageUrl", "imageUrl must be an absolute http(s) URL."));
        return new GuideBadge(reader.OneOf("position", Positions, "top-right"), imageUrl, reader.Integer("width", 16, 8, 128), reader.Integer("height", 16, 8, 128));
    }
}

/// <summary>A dismissed automatic guide shows again after <see cref="IntervalDays"/>, until it has been dismissed
/// <see cref="MaxDismissals"/> times.</summary>
public sealed record GuideRedisplay(int IntervalDays, int MaxDismissals)
{
    internal static GuideRedisplay? Parse(JsonElement guide, List<ContentError> errors)
    {
        if (!guide.TryGetProperty("redisplay", out var json) || json.ValueKind == JsonValueKind.Null) return null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("redisplay", "redisplay is an object {intervalDays, maxDismissals}."));
            return null;
        }
        var reader = new FieldReader(json, "redisplay", errors);
        return new GuideRedisplay(reader.Integer("intervalDays", 7, 1, 3650), reader.Integer("maxDismissals", 2, 1, 100));
    }
}

/// <summary>One step: where it shows (page, element) and what it shows (<see cref="Content"/>, the content
/// fields as the author wrote them: placement, blocks or domJson, layout).</summary>
public sealed record StepDefinition(string Id, string? Name, string? PageRule, string? PageId, string? ElementRule, string AdvanceMethod, JsonObject Content)
{
    public static readonly IReadOnlyList<string> AdvanceMethods = ["button", "element"];
    private static readonly HashSet<string> OwnFields = ["id", "name", "pageRule", "pageId", "elementRule", "advanceMethod"];

    internal static StepDefinition? Parse(JsonElement json, string path, List<ContentError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "a step is a JSON object."));
            return null;
        }
        var reader = new FieldReader(json, path, errors);
        var id = reader.String("id") ?? GuideIds.New();
        if (!GuideIds.IsValid(id)) errors.Add(new($"{path}.id", "a step id is a letter, then at most 31 letters, digits, '-' and '_' (it becomes part of element ids)."));
        var pageRule = reader.String("pageRule");
        if (pageRule is not null && !Tagging.Rules.PageRule.TryParse(pageRule, out _, out var pageError)) errors.Add(new($"{path}.pageRule", pageError!.ToString()));
        var pageId = reader.String("pageId");
        if (pageRule is not null && pageId is not null) errors.Add(new($"{path}.pageId", "give pageRule or pageId, not both."));
        var elementRule = reader.String("elementRule");
        if (elementRule is not null && !FeatureRule.TryParse(elementRule, out _, out var elementError)) errors.Add(new($"{path}.elementRule", elementError!.ToString()));
        var advance = reader.OneOf("advanceMethod", AdvanceMethods, "button");
        if (advance == "element" && elementRule is null) errors.Add(new($"{path}.advanceMethod", "a step that advances when its element is clicked needs elementRule."));
        var content = new JsonObject();
        foreach (var field in json.EnumerateObject())
            if (!OwnFields.Contains(field.Name)) content[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        if (content["placement"]?.GetValueKind() == JsonValueKind.String && content["placement"]!.GetValue<string>() is "tooltip" or "embedded" && elementRule is null)
            errors.Add(new($"{path}.elementRule", "a tooltip points at an element, and embedded content goes into one: give elementRule, the element's CSS selector."));
        return new StepDefinition(id, reader.String("name"), pageRule, pageId, elementRule, advance, content);
    }

    /// <summary>The element an embedded step goes into, if this step is embedded.</summary>
    public string? EmbedSelector => Content["placement"]?.GetValueKind() == JsonValueKind.String && Content["placement"]!.GetValue<string>() == "embedded" ? ElementRule : null;

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id };
        if (Name is not null) json["name"] = Name;
        if (PageRule is not null) json["pageRule"] = PageRule;
        if (PageId is not null) json["pageId"] = PageId;
        if (ElementRule is not null) json["elementRule"] = ElementRule;
        json["advanceMethod"] = AdvanceMethod;
        foreach (var (name, value) in Content) json[name] = value?.DeepClone();
        return json;
    }
}

/// <summary>Guide and step ids: random, and usable in CSS selectors as the agents build them (a letter first).</summary>
public static class GuideIds
{
    public static string New()
    {
        while (true)
            if (TagCatalog.NewId() is var id && char.IsAsciiLetter(id[0])) return id;
    }

    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 32 && char.IsAsciiLetter(id[0]) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

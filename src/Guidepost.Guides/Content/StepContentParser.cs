using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Guidepost.Guides.Content;

/// <summary>Reads a step's authored content JSON (blocks, a raw <c>domJson</c> tree, or a layout reference)
/// and a guide theme into typed specs, collecting every problem with its path.</summary>
public static partial class StepContentParser
{
    private const int MaxBlocks = 50;

    public static StepContent? Parse(JsonElement json, string path, ICollection<ContentError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "expected a step content object with blocks, domJson or layout"));
            return null;
        }
        var before = errors.Count;
        foreach (var member in json.EnumerateObject())
            if (member.Name is not ("placement" or "position" or "width" or "blocks" or "domJson" or "polls" or "layout"))
                errors.Add(new(JsonPath.Member(path, member.Name), $"unknown key '{member.Name}'; expected placement, position, width, blocks, domJson, polls or layout"));

        var given = new[] { "blocks", "domJson", "layout" }.Where(key => json.TryGetProperty(key, out _)).ToList();
        if (given.Count != 1)
        {
            errors.Add(new(path, "give exactly one of blocks, domJson or layout"));
            return null;
        }
        var content = given[0] switch
        {
            "blocks" => ParseBlocksStep(json, path, errors),
            "domJson" => ParseRawStep(json, path, errors),
            _ => ParseLayoutReference(json, path, errors),
        };
        return errors.Count == before ? content : null;
    }

    public static GuideTheme ParseTheme(JsonElement json, string path, ICollection<ContentError> errors)
    {
        var theme = GuideTheme.Default;
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "expected a theme object"));
            return theme;
        }
        foreach (var member in json.EnumerateObject())
        {
            var memberPath = JsonPath.Member(path, member.Name);
            string? Color() => member.Value.ValueKind == JsonValueKind.String && CssColor().IsMatch(member.Value.GetString()!)
                ? member.Value.GetString()
                : Fail(errors, memberPath, "expected a CSS colour such as #1a2b3c, rgb(…), rgba(…) or a colour name");
            switch (member.Name)
            {
                case "fontFamily":
                    if (member.Value.ValueKind == JsonValueKind.String && FontFamily().IsMatch(member.Value.GetString()!))
                        theme = theme with { FontFamily = member.Value.GetString()! };
                    else errors.Add(new(memberPath, "expected a CSS font-family list (letters, digits, spaces, commas, quotes, hyphens)"));
                    break;
                case "textColor": theme = Color() is { } text ? theme with { TextColor = text } : theme; break;
                case "backgroundColor": theme = Color() is { } background ? theme with { BackgroundColor = background } : theme; break;
                case "primaryColor": theme = Color() is { } primary ? theme with { PrimaryColor = primary } : theme; break;
                case "buttonTextColor": theme = Color() is { } buttonText ? theme with { ButtonTextColor = buttonText } : theme; break;
                case "borderRadius": theme = Int(member.Value, memberPath, 0, 64, errors) is { } radius ? theme with { BorderRadius = radius } : theme; break;
                case "width": theme = Int(member.Value, memberPath, 100, 2000, errors) is { } width ? theme with { Width = width } : theme; break;
                default:
                    errors.Add(new(memberPath, $"unknown theme key '{member.Name}'; expected fontFamily, textColor, backgroundColor, primaryColor, buttonTextColor, borderRadius or width"));
                    break;
            }
        }
        return theme;
    }

    private static StepContent? ParseBlocksStep(JsonElement json, string path, ICollection<ContentError> errors)
    {
        var placementPath = JsonPath.Member(path, "placement");
        Placement? placement = json.TryGetProperty("placement", out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString() switch
            {
                "lightbox" => Placement.Lightbox, "banner" => Placement.Banner,
                "tooltip" => Placement.Tooltip, "embedded" => Placement.Embedded, _ => null,
            }
            : null;
        if (placement is null)
        {
            errors.Add(new(placementPath, "expected placement \"lightbox\", \"banner\", \"tooltip\" or \"embedded\""));
            return null;
        }
        var position = ParsePosition(json, placement.Value, JsonPath.Member(path, "position"), errors);
        int? width = null;
        if (json.TryGetProperty("width", out var w))
        {
            if (placement == Placement.Banner)
                errors.Add(new(JsonPath.Member(path, "width"), "a banner spans the page and takes no width (a fixed width makes the agent add centring margins)"));
            else width = Int(w, JsonPath.Member(path, "width"), 100, 2000, errors);
        }
        if (json.TryGetProperty("polls", out _))
            errors.Add(new(JsonPath.Member(path, "polls"), "polls are declared only with a raw domJson; poll blocks describe themselves"));

        var blocksPath = JsonPath.Member(path, "blocks");
        var blocksJson = json.GetProperty("blocks");
        if (blocksJson.ValueKind != JsonValueKind.Array || blocksJson.GetArrayLength() is 0 or > MaxBlocks)
        {
            errors.Add(new(blocksPath, $"expected an array of 1 to {MaxBlocks} blocks"));
            return null;
        }
        var blocks = new List<Block>();
        for (var i = 0; i < blocksJson.GetArrayLength(); i++)
            if (BlockParser.Parse(blocksJson[i], JsonPath.Index(blocksPath, i), errors) is { } block) blocks.Add(block);
        var content = new StepContent(path, placement.Value, position, width, blocks);
        CheckStepRules(content, errors);
        return content;
    }

    /// <summary>Rules that span blocks: a poll needs a button that submits it, and a policy step offers no
    /// way around accepting.</summary>
    private static void CheckStepRules(StepContent content, ICollection<ContentError> errors)
    {
        var blocks = content.Blocks;
        var policies = blocks.OfType<PolicyBlock>().ToList();
        foreach (var extra in policies.Skip(1))
            errors.Add(new(extra.Path, "a step holds at most one policy"));
        var buttons = blocks.OfType<ButtonBlock>().ToList();
        if (policies.Count > 0)
        {
            foreach (var button in buttons.Where(b => b.Action is ButtonAction.Dismiss or ButtonAction.Snooze or ButtonAction.Next or ButtonAction.GoToStep))
                errors.Add(new(JsonPath.Member(button.Path, "action"),
                    "a step holding a policy can only be left by accepting it: no next, goToStep, dismiss or snooze buttons (previous and link are allowed)"));
        }
        else if (blocks.OfType<PollBlock>().FirstOrDefault() is { } poll && !buttons.Any(b => b.Action is ButtonAction.Next or ButtonAction.GoToStep))
            errors.Add(new(poll.Path, "a step with a poll needs a button with action next or goToStep: that button submits the answers"));
    }

    private static string? ParsePosition(JsonElement json, Placement placement, string path, ICollection<ContentError> errors)
    {
        if (!json.TryGetProperty("position", out var position))
            return placement == Placement.Banner ? "top" : null;
        string[] allowed = placement switch
        {
            Placement.Banner => ["top", "bottom"],
            Placement.Tooltip => ["top", "bottom", "left", "right"],
            _ => [],
        };
        if (allowed.Length == 0)
            errors.Add(new(path, $"a {placement.ToString().ToLowerInvariant()} takes no position"));
        else if (position.ValueKind != JsonValueKind.String || !allowed.Contains(position.GetString()))
            errors.Add(new(path, $"expected position {string.Join(" or ", allowed.Select(a => $"\"{a}\""))}"));
        else return position.GetString();
        return null;
    }

    private static StepContent? ParseRawStep(JsonElement json, string path, ICollection<ContentError> errors)
    {
        foreach (var key in new[] { "placement", "position", "width" })
            if (json.TryGetProperty(key, out _))
                errors.Add(new(JsonPath.Member(path, key), $"{key} applies to blocks; a raw domJson carries its own placement"));
        var domJsonPath = JsonPath.Member(path, "domJson");
        var domJson = json.GetProperty("domJson");
        var before = errors.Count;
        BuildingBlockValidator.Validate(domJson, domJsonPath, errors);
        var polls = ParseDeclaredPolls(json, JsonPath.Member(path, "polls"), errors);
        if (errors.Count != before) return null;

        var usedPollIds = new SortedSet<string>(StringComparer.Ordinal);
        CollectPollIds(domJson, usedPollIds);
        foreach (var undeclared in usedPollIds.Where(id => polls.All(poll => poll.Id != id)))
            errors.Add(new(JsonPath.Member(path, "polls"), $"data-pendo-poll-id '{undeclared}' is used in domJson but not declared in polls [{{id, type, numericResponses}}]"));
        foreach (var unused in polls.Where(poll => !usedPollIds.Contains(poll.Id)))
            errors.Add(new(JsonPath.Member(path, "polls"), $"poll '{unused.Id}' is declared but no element in domJson has data-pendo-poll-id '{unused.Id}'"));
        return new StepContent(path, JsonNode.Parse(domJson.GetRawText())!.AsObject(), polls);
    }

    private static List<PollInfo> ParseDeclaredPolls(JsonElement json, string path, ICollection<ContentError> errors)
    {
        var polls = new List<PollInfo>();
        if (!json.TryGetProperty("polls", out var array)) return polls;
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, "expected an array of {id, type, numericResponses}"));
            return polls;
        }
        for (var i = 0; i < array.GetArrayLength(); i++)
        {
            var poll = array[i];
            if (poll.ValueKind == JsonValueKind.Object
                && poll.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && BuildingBlockRules.SelectorSafeId().IsMatch(id.GetString()!)
                && poll.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString()!.Length > 0
                && poll.TryGetProperty("numericResponses", out var numeric) && numeric.ValueKind is JsonValueKind.True or JsonValueKind.False)
                polls.Add(new PollInfo(id.GetString()!, type.GetString()!, numeric.GetBoolean()));
            else
                errors.Add(new(JsonPath.Index(path, i), "expected {id: selector-safe string, type: string, numericResponses: boolean}"));
        }
        return polls;
    }

    private static void CollectPollIds(JsonElement node, ISet<string> ids)
    {
        if (node.TryGetProperty("props", out var props) && props.TryGetProperty("data-pendo-poll-id", out var id) && id.ValueKind == JsonValueKind.String)
            ids.Add(id.GetString()!);
        if (node.TryGetProperty("children", out var children))
            foreach (var child in children.EnumerateArray()) CollectPollIds(child, ids);
    }

    private static StepContent? ParseLayoutReference(JsonElement json, string path, ICollection<ContentError> errors)
    {
        foreach (var key in new[] { "placement", "position", "width", "polls" })
            if (json.TryGetProperty(key, out _))
                errors.Add(new(JsonPath.Member(path, key), $"{key} comes from the layout"));
        var layoutPath = JsonPath.Member(path, "layout");
        var layout = json.GetProperty("layout");
        if (layout.ValueKind != JsonValueKind.Object
            || !layout.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            errors.Add(new(layoutPath, "expected {id: string, slots?: {name: text}}"));
            return null;
        }
        var slots = new SortedDictionary<string, LocalizedText>(StringComparer.Ordinal);
        if (layout.TryGetProperty("slots", out var slotsJson))
        {
            var slotsPath = JsonPath.Member(layoutPath, "slots");
            if (slotsJson.ValueKind != JsonValueKind.Object) errors.Add(new(slotsPath, "expected an object of slot name → text"));
            else
                foreach (var slot in slotsJson.EnumerateObject())
                    if (BlockParser.Text(slot.Value, JsonPath.Member(slotsPath, slot.Name), errors) is { } text) slots[slot.Name] = text;
        }
        return new StepContent(path, id.GetString()!, slots);
    }

    internal static int? Int(JsonElement value, string path, int min, int max, ICollection<ContentError> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        errors.Add(new(path, $"expected an integer from {min} to {max}"));
        return null;
    }

    private static string? Fail(ICollection<ContentError> errors, string path, string message)
    {
        errors.Add(new(path, message));
        return null;
    }

    [GeneratedRegex(@"^(#[0-9a-fA-F]{3,8}|rgba?\([0-9.,%\s]+\)|hsla?\([0-9.,%\sdeg]+\)|[a-zA-Z]+)$")]
    private static partial Regex CssColor();

    [GeneratedRegex(@"^[A-Za-z0-9 ,'""\-]{1,200}$")]
    private static partial Regex FontFamily();
}

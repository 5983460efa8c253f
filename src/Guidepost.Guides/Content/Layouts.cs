using System.Text.RegularExpressions;

namespace Guidepost.Guides.Content;

/// <summary>Fills a layout (a reusable step whose texts hold <c>{{slotName}}</c> placeholders) with a
/// step's slot values.</summary>
public static partial class Layouts
{
    /// <summary>The layout's blocks with every placeholder replaced, per language: a language the layout
    /// text or a slot lacks falls back to <paramref name="authoredLanguage"/>, then to language-neutral text.
    /// Every placeholder must be filled and every slot used.</summary>
    public static StepContent? Apply(StepContent layout, StepContent step, string authoredLanguage, ICollection<ContentError> errors)
    {
        if (step.LayoutId is null) throw new ArgumentException("the step does not reference a layout", nameof(step));
        if (layout.LayoutId is not null || layout.DomJson is not null)
            throw new ArgumentException("a layout is written with blocks", nameof(layout));

        var slotsPath = JsonPath.Member(JsonPath.Member(step.Path, "layout"), "slots");
        var used = new HashSet<string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var before = errors.Count;
        LocalizedText Fill(LocalizedText text)
        {
            var languages = text.ByLanguage.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (Match placeholder in Placeholder().Matches(string.Concat(text.ByLanguage.Values)))
                if (step.Slots.TryGetValue(placeholder.Groups[1].Value, out var slot)) languages.UnionWith(slot.ByLanguage.Keys);
            var filled = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var language in languages)
                filled[language] = Placeholder().Replace(text.Resolve(language, authoredLanguage)!, placeholder =>
                {
                    var name = placeholder.Groups[1].Value;
                    used.Add(name);
                    if (step.Slots.TryGetValue(name, out var slot)) return slot.Resolve(language, authoredLanguage) ?? "";
                    if (missing.Add(name)) errors.Add(new(slotsPath, $"the layout's placeholder {{{{{name}}}}} has no slot '{name}'"));
                    return placeholder.Value;
                });
            return new LocalizedText(filled);
        }
        LocalizedText? FillOptional(LocalizedText? text) => text is null ? null : Fill(text);

        var blocks = layout.Blocks.Select<Block, Block>(block => block switch
        {
            HeadingBlock heading => heading with { Text = Fill(heading.Text) },
            TextBlock text => text with { Text = Fill(text.Text) },
            ImageBlock image => image with { Alt = FillOptional(image.Alt) },
            ButtonBlock button => button with { Label = Fill(button.Label) },
            PollBlock poll => poll with
            {
                Question = Fill(poll.Question), Options = poll.Options.Select(Fill).ToList(),
                MinLabel = FillOptional(poll.MinLabel), MaxLabel = FillOptional(poll.MaxLabel),
            },
            PolicyBlock policy => policy with { Text = Fill(policy.Text), Accept = Fill(policy.Accept) },
            _ => throw new InvalidOperationException($"unknown block {block.GetType().Name}"),
        }).ToList();

        foreach (var unused in step.Slots.Keys.Where(name => !used.Contains(name)))
            errors.Add(new(JsonPath.Member(slotsPath, unused), $"the layout has no placeholder {{{{{unused}}}}}"));
        return errors.Count == before ? new StepContent(step.Path, layout.Placement, layout.Position, layout.Width, blocks) : null;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

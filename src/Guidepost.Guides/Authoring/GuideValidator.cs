using Guidepost.Guides.Content;
using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Guides.Delivery;
using Guidepost.Query.Reports;
using Guidepost.Tagging.Catalog;

namespace Guidepost.Guides.Authoring;

/// <summary>Checks a guide as written against the subscription: its definition, the segment, pages, theme and
/// layouts it names, and that every step's content renders into something the agents can show.</summary>
public sealed class GuideValidator(AnalyticsCatalog analytics, TagCatalog tags, GuideCatalog guides)
{
    /// <summary>The definition to store, or null with the problems in <paramref name="errors"/>.</summary>
    public async Task<GuideDefinition?> ValidateAsync(
        long subscriptionId, string? guideId, JsonElement json, List<ContentError> errors, CancellationToken cancellationToken)
    {
        var definition = GuideDefinition.Parse(json, errors);
        if (definition is null || errors.Count > 0) return null;
        if (definition.SegmentId is { } segmentId && await analytics.FindSegmentAsync(subscriptionId, segmentId, cancellationToken) is null)
            errors.Add(new("audience.segmentId", $"there is no segment '{segmentId}'."));
        var assets = await guides.AssetsAsync(subscriptionId, cancellationToken);
        var theme = assets.ThemeOf(definition);
        if (definition.ThemeId is not null && theme is null) errors.Add(new("themeId", $"there is no theme '{definition.ThemeId}'."));
        // The agents keep a step's content and progress by step id alone, so two guides must never share one.
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var other in await guides.ListAsync(subscriptionId, null, cancellationToken))
        {
            if (other.Id == guideId) continue;
            using var draft = JsonDocument.Parse(other.Draft);
            foreach (var step in GuideDefinition.Parse(draft.RootElement, [])?.Steps ?? []) taken.TryAdd(step.Id, other.Id);
        }
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            if (taken.TryGetValue(step.Id, out var owner))
                errors.Add(new($"steps[{i}].id", $"guide '{owner}' already has a step '{step.Id}'; step ids are unique across the subscription's guides (the agent keeps each step's progress by its id)."));
            if (step.PageId is { } pageId && await tags.FindAsync<Page>(subscriptionId, pageId, cancellationToken) is null)
                errors.Add(new($"steps[{i}].pageId", $"there is no page '{pageId}'."));
            var launched = StepContentParser.Parse(JsonSerializer.SerializeToElement(step.Content), $"steps[{i}]", [])?.LaunchedGuideIds ?? [];
            foreach (var other in launched)
                if (await guides.FindAsync(subscriptionId, other, cancellationToken) is null)
                    errors.Add(new($"steps[{i}].blocks", $"a showGuide button names guide '{other}', which does not exist."));
        }
        // Poll ids are derived from the guide id, which a new guide does not have yet; any id renders the same checks.
        StepContentSource.Check(guideId ?? "new-guide", definition, theme, assets.Layouts, errors);
        return errors.Count == 0 ? definition : null;
    }

    /// <summary>Adds what is wrong with a theme or layout to <paramref name="errors"/>.</summary>
    public static void ValidateAsset(string kind, JsonElement definition, List<ContentError> errors) => StepContentSource.CheckAsset(kind, definition, errors);
}

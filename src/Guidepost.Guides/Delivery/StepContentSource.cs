using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Guides;
using Guidepost.Guides.Authoring;
using Guidepost.Guides.Content;

namespace Guidepost.Guides.Delivery;

/// <summary>A guide's content in one language: each step's building-block tree and the guide's polls.</summary>
internal sealed record RenderedGuide(string Language, IReadOnlyList<StepPayload> Steps, JsonArray Polls);

/// <param name="Json">The tree as JSON text, served at the step's <c>domUrl</c>.</param>
/// <param name="Hash">Names this content in its URL, so a browser cache never serves old content for a new version.</param>
internal sealed record StepPayload(string StepId, string Json, string Hash, IReadOnlyList<string> PollIds, JsonObject Attributes);

/// <summary>Turns a guide's steps (blocks, a raw tree, or a layout filled with slots) into building-block trees
/// with the subscription's theme and layouts.</summary>
internal sealed class StepContentSource(GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts)
{
    /// <summary>The guide in <paramref name="language"/>, or null with the problems in <paramref name="errors"/>: content is
    /// checked when staged or published, but a layout edited since may no longer fit it.</summary>
    public RenderedGuide? Render(DeliverableGuide guide, string language, List<ContentError> errors)
    {
        var rendered = RenderAll(guide.Guide.Id, guide.Definition, theme, layouts, language, errors);
        if (rendered is null) return null;
        var steps = rendered.Select(r =>
        {
            var json = r.Rendered.DomJson.ToJsonString();
            return new StepPayload(r.StepId, json, Hash(json), r.Rendered.PollIds, r.Rendered.Attributes);
        }).ToList();
        return new RenderedGuide(language, steps, new JsonArray([.. rendered.SelectMany(r => r.Rendered.Polls).Select(p => (JsonNode)p.ToGuideJson())]));
    }

    /// <summary>Adds to <paramref name="errors"/> what keeps the guide's steps from rendering in its authored language.</summary>
    public static void Check(string guideId, GuideDefinition guide, GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts, List<ContentError> errors) =>
        RenderAll(guideId, guide, theme, layouts, guide.AuthoredLanguage, errors);

    /// <summary>The guide's polls, step by step (empty when its content no longer renders).</summary>
    public static IReadOnlyList<Analytics.GuidePoll> Polls(
        string guideId, GuideDefinition guide, GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts) =>
        RenderAll(guideId, guide, theme, layouts, guide.AuthoredLanguage, []) is { } steps
            ? [.. steps.SelectMany(s => s.Rendered.Polls.Select(p => new Analytics.GuidePoll(p.Id, s.StepId, p.Type, p.NumericResponses)))]
            : [];

    /// <summary>Adds to <paramref name="errors"/> what is wrong with a theme or a layout.</summary>
    public static void CheckAsset(string kind, JsonElement definition, List<ContentError> errors)
    {
        if (kind == GuideAssets.Theme) StepContentParser.ParseTheme(definition, "definition", errors);
        else if (StepContentParser.Parse(definition, "definition", errors) is { } layout && (layout.LayoutId is not null || layout.DomJson is not null))
            errors.Add(new("definition", "a layout is written with blocks (placement, blocks), not as a raw tree or another layout."));
    }

    private static List<(string StepId, RenderedStep Rendered)>? RenderAll(
        string guideId, GuideDefinition guide, GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts, string language, List<ContentError> errors)
    {
        var before = errors.Count;
        var style = GuideTheme.Default;
        if (theme is not null)
        {
            using var themeJson = JsonDocument.Parse(theme.Definition);
            style = StepContentParser.ParseTheme(themeJson.RootElement, "themeId", errors);
        }
        var stepIds = guide.Steps.Select(s => s.Id).ToList();
        var rendered = new List<(string, RenderedStep)>();
        for (var i = 0; i < guide.Steps.Count; i++)
        {
            var step = guide.Steps[i];
            var path = $"steps[{i}]";
            var content = StepContentParser.Parse(JsonSerializer.SerializeToElement(step.Content), path, errors);
            if (content?.LayoutId is { } layoutId)
            {
                if (!layouts.TryGetValue(layoutId, out var layoutAsset))
                {
                    errors.Add(new($"{path}.layout.id", $"there is no layout '{layoutId}'."));
                    continue;
                }
                using var layoutJson = JsonDocument.Parse(layoutAsset.Definition);
                var layout = StepContentParser.Parse(layoutJson.RootElement, $"layout '{layoutId}'", errors);
                content = layout is null ? null : Layouts.Apply(layout, content, guide.AuthoredLanguage, errors);
            }
            if (content is null) continue;
            if (StepRenderer.Render(content, style, new RenderContext(guideId, step.Id, stepIds, language, guide.AuthoredLanguage), errors) is { } result)
                rendered.Add((step.Id, result));
        }
        return errors.Count == before ? rendered : null;
    }

    private static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
}

using System.Collections.Concurrent;
using Guidepost.Config.Entities.Guides;
using Guidepost.Guides.Authoring;
using Guidepost.Query.Segments;

namespace Guidepost.Guides.Delivery;

/// <summary>A staged or public guide ready to deliver: its delivered version's definition with everything the
/// payload needs resolved (segment, page rules as browser expressions, theme, layouts). Content is rendered
/// once per language and kept.</summary>
internal sealed class DeliverableGuide(
    Guide guide, GuideVersion version, GuideDefinition definition, CompiledSegment? segment, IReadOnlyList<DeliverableStep> steps, StepContentSource content)
{
    private readonly ConcurrentDictionary<string, (RenderedGuide? Guide, IReadOnlyList<Content.ContentError> Errors)> _rendered = new(StringComparer.Ordinal);

    public Guide Guide { get; } = guide;
    public GuideVersion Version { get; } = version;
    public GuideDefinition Definition { get; } = definition;
    public CompiledSegment? Segment { get; } = segment;
    public IReadOnlyList<DeliverableStep> Steps { get; } = steps;

    public bool IsAutomatic => Definition.IsAutomatic;

    /// <summary>The guide's content in <paramref name="language"/> (or the authored language where it has none), or null
    /// with what keeps it from rendering.</summary>
    public (RenderedGuide? Guide, IReadOnlyList<Content.ContentError> Errors) Render(string language) =>
        _rendered.GetOrAdd(language, l =>
        {
            var errors = new List<Content.ContentError>();
            return (content.Render(this, l, errors), errors);
        });

    public bool IsScheduledAt(long now) =>
        (Definition.ShowsAfter is not { } shows || shows <= now) && (Definition.ExpiresAfter is not { } expires || now < expires);
}

/// <summary>A step's delivery fields that do not depend on language.</summary>
/// <param name="RegexUrlRule">The pages it shows on, as a browser regular expression; null for every page.</param>
internal sealed record DeliverableStep(StepDefinition Definition, string? RegexUrlRule)
{
    public string Id => Definition.Id;
}

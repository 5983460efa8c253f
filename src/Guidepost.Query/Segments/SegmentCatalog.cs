using System.Text.Json;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Query.Reports;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Query.Segments;

/// <summary>Loads a saved segment and compiles it.</summary>
public static class SegmentCatalog
{
    /// <exception cref="ReportException">No such segment, or it names a tag that no longer exists.</exception>
    public static async Task<CompiledSegment> CompileAsync(
        long subscriptionId, string segmentId, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, CancellationToken cancellationToken)
    {
        var segment = await saved.FindSegmentAsync(subscriptionId, segmentId, cancellationToken) ?? throw new ReportException($"No segment '{segmentId}'.");
        return await CompileAsync(subscriptionId, segment, catalog, matcher, cancellationToken);
    }

    public static async Task<CompiledSegment> CompileAsync(long subscriptionId, Segment segment, TagCatalog catalog, TagMatcher matcher, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(segment.Definition);
        var rule = SegmentRule.Parse(json.RootElement, out var error);
        if (error is not null) throw new ReportException($"Segment '{segment.Id}' is invalid: {error}");
        var (compiled, missing) = await CompiledSegment.CompileAsync(subscriptionId, rule, catalog, matcher, cancellationToken);
        return compiled is null
            ? throw new ReportException($"Segment '{segment.Id}': {missing}")
            : compiled with { Key = $"{segment.Id}@{segment.LastUpdatedAt}" };
    }
}

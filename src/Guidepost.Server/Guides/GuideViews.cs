using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Guides;
using Guidepost.Guides.Analytics;
using Guidepost.Guides.Authoring;
using Guidepost.Tagging.Rules;

namespace Guidepost.Server.Guides;

/// <summary>Guides in the shape of Pendo's guide objects (<c>GET /api/v1/guide</c> and the <c>guides</c> source):
/// the steps and polls of the version delivered (or of the draft, before any publish), and Guidepost's draft as
/// <c>definition</c>.</summary>
internal sealed class GuideViews(GuideCatalog catalog)
{
    public async Task<List<object>> OfAsync(long subscriptionId, IReadOnlyList<Guide> guides, CancellationToken ct)
    {
        if (guides.Count == 0) return [];
        var assets = await catalog.AssetsAsync(subscriptionId, ct);
        var views = new List<object>();
        foreach (var guide in guides)
        {
            var (version, definition) = await catalog.CurrentAsync(guide, ct);
            views.Add(View(guide, version, definition, GuidePolls.Of(guide.Id, definition, assets)));
        }
        return views;
    }

    public async Task<object> OfAsync(long subscriptionId, Guide guide, CancellationToken ct) => (await OfAsync(subscriptionId, [guide], ct))[0];

    public static string StateName(GuideState state) => state == GuideState.Public ? "published" : state.ToString().ToLowerInvariant();

    private static object View(Guide g, GuideVersion? version, GuideDefinition d, IReadOnlyList<GuidePoll> polls) => new
    {
        g.Id, kind = "Guide", appId = g.ApplicationId, appIds = new[] { g.ApplicationId }, name = version?.Name ?? g.Name, state = StateName(g.State),
        version = g.DeliveredVersion, g.CreatedAt, createdByUser = new { username = g.CreatedBy }, g.LastUpdatedAt,
        lastUpdatedByUser = new { username = g.LastUpdatedBy }, publishedAt = version?.CreatedAt, g.ResetAt,
        launchMethod = d.LaunchMethod, isMultiStep = d.Steps.Count > 1, d.ShowsAfter, d.ExpiresAfter,
        attributes = new { type = "building-block", device = new { type = d.Device }, priority = d.Priority, kind = d.Kind },
        audience = d.SegmentId is { } segment ? new { segmentId = segment } : null,
        steps = d.Steps.Select((s, rank) => new
        {
            s.Id, guideId = g.Id, type = "building-block", s.Name, rank, s.AdvanceMethod, elementPathRule = s.ElementRule, s.PageId,
            regexUrlRule = s.PageRule is { } rule ? PageRule.Parse(rule).JsPattern : null,
            pollIds = polls.Where(p => p.StepId == s.Id).Select(p => p.Id),
        }),
        polls = polls.Select(p => new { p.Id, numericResponses = p.NumericResponses, attributes = new { type = p.Type } }),
        definition = JsonNode.Parse(g.Draft),
    };
}

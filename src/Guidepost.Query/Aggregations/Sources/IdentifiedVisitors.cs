using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>Names each raw event's visitor as the rollups do: an anonymous visitor who identified becomes the
/// identified visitor. Each anonymous id is looked up once per query.</summary>
public sealed class IdentifiedVisitors(PipelineRun run)
{
    private readonly Dictionary<string, string> _identified = new(StringComparer.Ordinal);

    public async ValueTask<string> OfAsync(string visitorId)
    {
        if (!AnonymousVisitors.Is(visitorId)) return visitorId;
        if (!_identified.TryGetValue(visitorId, out var becomes))
            _identified[visitorId] = becomes = await run.Services.Store.FindIdentifiedVisitorAsync(run.SubscriptionId, visitorId, run.Cancellation) ?? visitorId;
        return becomes;
    }
}

using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Tagging.Catalog;
using Guidepost.Query.Time;
using Guidepost.Tagging.Matching;
using NodaTime;

namespace Guidepost.Query.Metrics;

/// <summary>Product Engagement Score and its three parts, each 0–100.</summary>
/// <param name="Adoption">Mean over active visitors (or accounts) of the share of core events they used.</param>
/// <param name="Stickiness">Mean daily active ÷ active over the window.</param>
/// <param name="Growth">(new + recovered) ÷ (new + recovered + dropped): 50 when gains equal losses, 100 with no losses.</param>
public sealed record EngagementScoreResult(
    double Score, double Adoption, double Stickiness, double Growth, int Active, int New, int Recovered, int Dropped, int CoreEvents);

/// <summary>Computes the Product Engagement Score over the <c>days</c> local days ending at <c>last</c>,
/// comparing with the window of the same length before it for growth.</summary>
public sealed class EngagementScore(IEventStore store)
{
    /// <summary>What adoption counts: the pages and features of the applications marked as core events.</summary>
    public static async Task<List<TagScope>> CoreEventsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, TagCatalog catalog, TagMatcher matcher, CancellationToken cancellationToken)
    {
        var core = new List<TagScope>();
        foreach (var page in (await catalog.ListAsync<Page>(subscriptionId, applicationIds, cancellationToken)).Where(p => p.IsCoreEvent))
            core.Add(await matcher.ScopeAsync(subscriptionId, page, catalog, cancellationToken));
        foreach (var feature in (await catalog.ListAsync<Feature>(subscriptionId, applicationIds, cancellationToken)).Where(f => f.IsCoreEvent))
            core.Add(await matcher.ScopeAsync(subscriptionId, feature, catalog, cancellationToken));
        return core;
    }

    public async Task<EngagementScoreResult> RunAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate last, int days, EntityKind level,
        IReadOnlyList<TagScope> coreEvents, CancellationToken cancellationToken)
    {
        var first = last.PlusDays(1 - days);
        var previousFirst = first.PlusDays(-days);
        var (fromHour, toHour) = calendar.Hours(first, last);
        var (previousFromHour, _) = calendar.Hours(previousFirst, first.PlusDays(-1));

        string? Entity(RollupTotal row) => level == EntityKind.Visitor ? row.VisitorId : row.AccountId;

        var daily = new Dictionary<LocalDate, HashSet<string>>();
        var active = new HashSet<string>(StringComparer.Ordinal);
        var previous = new HashSet<string>(StringComparer.Ordinal);
        var earlier = new HashSet<string>(StringComparer.Ordinal);
        var all = new RollupQuery(subscriptionId, applicationIds, 0, toHour, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account);
        await foreach (var row in store.QueryRollupsAsync(all, cancellationToken))
        {
            if (Entity(row) is not { } entity) continue;
            for (var q = 0; q < 4; q++)
            {
                if (row.EventsInQuarter(q) == 0) continue;
                var day = calendar.DayOf(row.Hour, q);
                if (day > last) continue;
                if (day >= first)
                {
                    active.Add(entity);
                    if (!daily.TryGetValue(day, out var set)) daily[day] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(entity);
                }
                else if (day >= previousFirst) previous.Add(entity);
                else earlier.Add(entity);
            }
        }

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var scope in coreEvents)
        {
            var query = new RollupQuery(subscriptionId, [scope.ApplicationId], fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account)
            {
                Kinds = [scope.Kind], SignatureIds = scope.SignatureIds, UrlIds = scope.UrlIds,
            };
            var users = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in store.QueryRollupsAsync(query, cancellationToken))
                for (var q = 0; q < 4; q++)
                    if (row.EventsInQuarter(q) > 0 && Entity(row) is { } entity && calendar.DayOf(row.Hour, q) is var day && day >= first && day <= last)
                        users.Add(entity);
            foreach (var user in users) used[user] = used.GetValueOrDefault(user) + 1;
        }

        var adoption = coreEvents.Count == 0 || active.Count == 0 ? 0 : 100.0 * active.Sum(e => used.GetValueOrDefault(e)) / coreEvents.Count / active.Count;
        var stickiness = active.Count == 0 ? 0 : 100.0 * daily.Values.Sum(d => d.Count) / days / active.Count;
        var isNew = active.Count(e => !previous.Contains(e) && !earlier.Contains(e));
        var recovered = active.Count(e => !previous.Contains(e) && earlier.Contains(e));
        var dropped = previous.Count(e => !active.Contains(e));
        var gained = isNew + recovered;
        var growth = gained + dropped == 0 ? 0 : 100.0 * gained / (gained + dropped);
        return new EngagementScoreResult((adoption + stickiness + growth) / 3, adoption, stickiness, growth, active.Count, isNew, recovered, dropped, coreEvents.Count);
    }
}

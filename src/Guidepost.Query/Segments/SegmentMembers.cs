using Guidepost.Core.Events;
using Guidepost.Tagging.Matching;

namespace Guidepost.Query.Segments;

/// <summary>All visitors of a segment at once, for reports: each behaviour rule is one grouped rollup query
/// and metadata is read in one pass, so the cost does not grow with per-visitor round trips. Decides
/// exactly as <see cref="SegmentChecker"/> does.</summary>
public sealed class SegmentMembers(IEventStore store, TimeProvider time)
{
    public async Task<HashSet<string>> VisitorsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, CompiledSegment segment, CancellationToken cancellationToken)
    {
        var nowHour = time.GetUtcNow().ToUnixTimeMilliseconds() / 3_600_000;
        var visitors = new Dictionary<string, EntityRecord>(StringComparer.Ordinal);
        await foreach (var visitor in store.ListEntitiesAsync(subscriptionId, EntityKind.Visitor, null, cancellationToken))
        {
            // An anonymous visitor who identified is no visitor of its own any more.
            if (AnonymousVisitors.Is(visitor.Id)
                && await store.FindIdentifiedVisitorAsync(subscriptionId, visitor.Id, cancellationToken) is not null) continue;
            visitors[visitor.Id] = visitor;
        }

        var accountsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var accountRules = segment.Rule.Leaves().OfType<FieldTest>().Any(t => t.OnAccount);
        var accounts = new Dictionary<string, EntityRecord>(StringComparer.Ordinal);
        if (accountRules)
        {
            await foreach (var account in store.ListEntitiesAsync(subscriptionId, EntityKind.Account, null, cancellationToken)) accounts[account.Id] = account;
            var pairs = new RollupQuery(subscriptionId, applicationIds, nowHour - SegmentRule.MaxDays * 24, nowHour + 1, RollupGrouping.Visitor | RollupGrouping.Account);
            await foreach (var row in store.QueryRollupsAsync(pairs, cancellationToken))
                if (row.AccountId is not null)
                {
                    if (!accountsOf.TryGetValue(row.VisitorId!, out var list)) accountsOf[row.VisitorId!] = list = [];
                    list.Add(row.AccountId);
                }
        }

        var counts = new Dictionary<Behaved, Dictionary<string, long>>();
        foreach (var rule in segment.Rule.Leaves().OfType<Behaved>().Distinct())
        {
            var scope = segment.Scopes[rule.TagId];
            var perVisitor = new Dictionary<string, long>(StringComparer.Ordinal);
            var query = new RollupQuery(subscriptionId, [scope.ApplicationId], nowHour - rule.Days * 24 + 1, nowHour + 1, RollupGrouping.Visitor)
            {
                Kinds = [scope.Kind], SignatureIds = scope.SignatureIds, UrlIds = scope.UrlIds,
            };
            await foreach (var row in store.QueryRollupsAsync(query, cancellationToken)) perVisitor[row.VisitorId!] = row.Events;
            counts[rule] = perVisitor;
        }

        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, record) in visitors)
        {
            var facts = new Facts(id, record, accountsOf.TryGetValue(id, out var mine) ? [.. mine.Select(a => accounts.GetValueOrDefault(a))] : [], counts);
            if (SegmentEvaluation.Matches(segment, facts)) members.Add(id);
        }
        return members;
    }

    private sealed record Facts(string VisitorId, EntityRecord Record, List<EntityRecord?> Accounts, Dictionary<Behaved, Dictionary<string, long>> Counts) : IVisitorFacts
    {
        public string? Value(string group, string field) => SegmentEvaluation.Lookup(Record, group, field);

        public IEnumerable<string?> AccountValues(string group, string field) => Accounts.Select(a => SegmentEvaluation.Lookup(a, group, field));

        public long Count(Behaved rule, TagScope scope) => Counts[rule].GetValueOrDefault(VisitorId);
    }
}

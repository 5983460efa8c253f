using System.Collections.Concurrent;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Query.Segments;

/// <summary>A rule tree with its behaviour rules' tags resolved to the rollups they count.</summary>
public sealed record CompiledSegment(SegmentRule Rule, IReadOnlyDictionary<string, TagScope> Scopes)
{
    public int MaxDays => Rule.Leaves().OfType<Behaved>().Select(b => b.Days).DefaultIfEmpty(0).Max();

    /// <summary>Resolves the tags a rule tree names; the error names a tag that does not exist.</summary>
    public static async Task<(CompiledSegment? Segment, string? Error)> CompileAsync(
        long subscriptionId, SegmentRule rule, TagCatalog catalog, TagMatcher matcher, CancellationToken cancellationToken)
    {
        var scopes = new Dictionary<string, TagScope>();
        foreach (var leaf in rule.Leaves().OfType<Behaved>())
        {
            if (scopes.ContainsKey(leaf.TagId)) continue;
            Tag? tag = leaf.Kind switch
            {
                "page" => await catalog.FindAsync<Page>(subscriptionId, leaf.TagId, cancellationToken),
                "feature" => await catalog.FindAsync<Feature>(subscriptionId, leaf.TagId, cancellationToken),
                _ => await catalog.FindAsync<TrackType>(subscriptionId, leaf.TagId, cancellationToken),
            };
            if (tag is null) return (null, $"No {leaf.Kind} '{leaf.TagId}'.");
            var page = tag is Feature { PageId: { } pageId } ? await catalog.FindAsync<Page>(subscriptionId, pageId, cancellationToken) : null;
            scopes[leaf.TagId] = await matcher.ScopeAsync(subscriptionId, tag, page, cancellationToken);
        }
        return (new CompiledSegment(rule, scopes), null);
    }
}

/// <summary>What a segment may ask about one visitor.</summary>
public interface IVisitorFacts
{
    string VisitorId { get; }

    /// <summary>The visitor's metadata value (JSON text), or null.</summary>
    string? Value(string group, string field);

    /// <summary>The value on each of the visitor's accounts.</summary>
    IEnumerable<string?> AccountValues(string group, string field);

    /// <summary>Events the behaviour rule counts.</summary>
    long Count(Behaved rule, TagScope scope);
}

public static class SegmentEvaluation
{
    public const string AnonymousPrefix = "_PENDO_T_";

    public static bool Matches(CompiledSegment segment, IVisitorFacts facts) => Matches(segment.Rule, segment, facts);

    private static bool Matches(SegmentRule rule, CompiledSegment segment, IVisitorFacts facts) => rule switch
    {
        AllOf all => all.Rules.All(r => Matches(r, segment, facts)),
        AnyOf any => any.Rules.Any(r => Matches(r, segment, facts)),
        IsAnonymous anonymous => facts.VisitorId.StartsWith(AnonymousPrefix, StringComparison.Ordinal) == anonymous.Anonymous,
        Behaved behaved => facts.Count(behaved, segment.Scopes[behaved.TagId]) >= behaved.AtLeast,
        FieldTest { OnAccount: true } test => facts.AccountValues(test.Group, test.Field).Any(test.Passes),
        FieldTest test => test.Passes(facts.Value(test.Group, test.Field)),
        _ => throw new InvalidOperationException($"Unknown rule {rule.GetType().Name}."),
    };
}

/// <summary>The per-visitor check guide targeting uses: the visitor's profile (metadata, accounts and rollups
/// of the last <see cref="SegmentRule.MaxDays"/> days) is read once and kept for a few seconds, after which
/// any segment is decided in memory.</summary>
public sealed class SegmentChecker(IEventStore store, TimeProvider time)
{
    private static readonly TimeSpan ProfileLifetime = TimeSpan.FromSeconds(10);
    private const int MaxProfiles = 100_000;
    private readonly ConcurrentDictionary<(long Subscription, string Visitor), VisitorProfile> _profiles = new();

    public async Task<bool> IsMemberAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, CompiledSegment segment, string visitorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_profiles.TryGetValue((subscriptionId, visitorId), out var profile) || profile.ReadAt + ProfileLifetime < now)
        {
            profile = await ReadProfileAsync(subscriptionId, applicationIds, visitorId, now, cancellationToken);
            if (_profiles.Count >= MaxProfiles) _profiles.Clear();
            _profiles[(subscriptionId, visitorId)] = profile;
        }
        return SegmentEvaluation.Matches(segment, profile);
    }

    private async Task<VisitorProfile> ReadProfileAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, string visitorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowHour = now.ToUnixTimeMilliseconds() / 3_600_000;
        var rows = new List<RollupTotal>();
        var query = new RollupQuery(subscriptionId, applicationIds, nowHour - SegmentRule.MaxDays * 24, nowHour + 1,
            RollupGrouping.Application | RollupGrouping.Hour | RollupGrouping.Kind | RollupGrouping.Signature | RollupGrouping.Url | RollupGrouping.Account)
        {
            VisitorId = visitorId,
        };
        await foreach (var row in store.QueryRollupsAsync(query, cancellationToken)) rows.Add(row);
        var visitor = await store.FindEntityAsync(subscriptionId, EntityKind.Visitor, visitorId, cancellationToken);
        var accounts = new List<EntityRecord>();
        foreach (var accountId in rows.Select(r => r.AccountId).OfType<string>().Distinct())
            if (await store.FindEntityAsync(subscriptionId, EntityKind.Account, accountId, cancellationToken) is { } account) accounts.Add(account);
        return new VisitorProfile(visitorId, now, nowHour, rows, visitor, accounts);
    }

    private sealed record VisitorProfile(
        string VisitorId, DateTimeOffset ReadAt, long NowHour, List<RollupTotal> Rows, EntityRecord? Visitor, List<EntityRecord> Accounts) : IVisitorFacts
    {
        public string? Value(string group, string field) => Lookup(Visitor, group, field);

        public IEnumerable<string?> AccountValues(string group, string field) => Accounts.Select(a => Lookup(a, group, field));

        public long Count(Behaved rule, TagScope scope)
        {
            var since = NowHour - rule.Days * 24;
            long count = 0;
            foreach (var row in Rows)
                if (row.Hour > since && row.ApplicationId == scope.ApplicationId && row.Kind == scope.Kind && scope.SignatureIds.Contains(row.SignatureId) && (scope.UrlIds is null || scope.UrlIds.Contains(row.UrlId)))
                    count += row.Events;
            return count;
        }
    }

    internal static string? Lookup(EntityRecord? record, string group, string field) =>
        record is not null && record.Metadata.TryGetValue(group, out var fields) && fields.TryGetValue(field, out var value) ? value : null;
}

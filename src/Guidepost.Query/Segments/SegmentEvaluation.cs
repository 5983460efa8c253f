using System.Collections.Concurrent;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Query.Segments;

/// <summary>A rule tree with its behaviour rules' tags resolved to the rollups they count.</summary>
public sealed record CompiledSegment(SegmentRule Rule, IReadOnlyDictionary<string, TagScope> Scopes)
{
    /// <summary>Names this version of the segment for caches: its id and when it last changed.</summary>
    public string Key { get; init; } = Guid.NewGuid().ToString("N");

    public int MaxDays => Rule.Leaves().OfType<Behaved>().Select(b => b.Days).DefaultIfEmpty(0).Max();

    /// <summary>Resolves the tags a rule tree names; the error names a tag that does not exist.</summary>
    public static async Task<(CompiledSegment? Segment, string? Error)> CompileAsync(
        long subscriptionId, SegmentRule rule, TagCatalog catalog, TagMatcher matcher, CancellationToken cancellationToken)
    {
        var scopes = new Dictionary<string, TagScope>();
        foreach (var leaf in rule.Leaves().OfType<Behaved>())
        {
            if (scopes.ContainsKey(leaf.TagId)) continue;
            if (await catalog.FindAsync(subscriptionId, leaf.Kind, leaf.TagId, cancellationToken) is not { } tag) return (null, $"No {leaf.Kind} '{leaf.TagId}'.");
            scopes[leaf.TagId] = await matcher.ScopeAsync(subscriptionId, tag, catalog, cancellationToken);
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
    /// <summary>A stored metadata value (JSON text), or null.</summary>
    public static string? Lookup(EntityRecord? record, string group, string field) =>
        record is not null && record.Metadata.TryGetValue(group, out var fields) && fields.TryGetValue(field, out var value) ? value : null;

    public static bool Matches(CompiledSegment segment, IVisitorFacts facts) => Matches(segment.Rule, segment, facts);

    private static bool Matches(SegmentRule rule, CompiledSegment segment, IVisitorFacts facts) => rule switch
    {
        AllOf all => all.Rules.All(r => Matches(r, segment, facts)),
        AnyOf any => any.Rules.Any(r => Matches(r, segment, facts)),
        IsAnonymous anonymous => AnonymousVisitors.Is(facts.VisitorId) == anonymous.Anonymous,
        Behaved behaved => facts.Count(behaved, segment.Scopes[behaved.TagId]) >= behaved.AtLeast,
        FieldTest { OnAccount: true } test => facts.AccountValues(test.Group, test.Field).Any(test.Passes),
        FieldTest test => test.Passes(facts.Value(test.Group, test.Field)),
        _ => throw new InvalidOperationException($"Unknown rule {rule.GetType().Name}."),
    };
}

/// <summary>The per-visitor check guide targeting uses: a segment's members are worked out in bulk (by
/// <see cref="SegmentMembers"/>) and kept, so checking a visitor against a warm segment is a set lookup. A set
/// older than a few seconds is recounted in the background while checks still answer from it (guide requests must
/// not wait for a count); a segment edited since is a new key, whose first check waits for its count.</summary>
public sealed class SegmentChecker(SegmentMembers members, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private const int MaxSegments = 10_000;
    private readonly ConcurrentDictionary<(long Subscription, string Segment), Counted> _members = new();

    /// <param name="Current">The set checks answer from.</param>
    /// <param name="Next">A recount under way, which replaces <paramref name="Current"/> once done.</param>
    private sealed record Counted(DateTimeOffset At, Task<HashSet<string>> Current, Task<HashSet<string>>? Next);

    public async Task<bool> IsMemberAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, CompiledSegment segment, string visitorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (subscriptionId, segment.Key);
        // Concurrent checks of a cold segment share one count instead of each starting its own.
        var counted = _members.AddOrUpdate(key, _ => new Counted(now, Count(), null), (_, old) => Refresh(old, now));
        if (_members.Count > MaxSegments) _members.Clear();
        return (await counted.Current.WaitAsync(cancellationToken)).Contains(visitorId);

        Counted Refresh(Counted old, DateTimeOffset now)
        {
            if (old.Current.IsFaulted) return new Counted(now, Count(), null);
            if (old.Next is { IsCompletedSuccessfully: true } next) return new Counted(now, next, null);
            if (old.Next is { IsFaulted: true }) return old with { Next = null };
            if (old.Next is null && old.At + Lifetime < now && old.Current.IsCompletedSuccessfully) return old with { Next = Count() };
            return old;
        }

        // Not cancelled by one caller's request: others may be waiting for the same count.
        Task<HashSet<string>> Count() => members.VisitorsAsync(subscriptionId, applicationIds, segment, CancellationToken.None);
    }
}

using System.Collections.Concurrent;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Rules;

namespace Guidepost.Tagging.Matching;

/// <summary>Which signatures (URLs, element paths, track names) a tag's rules match: the whole of
/// tagging, since rollups are kept per signature. A rule is run once per distinct signature, never per
/// event, so a new or edited tag counts all history at once; the answer is cached per rule text and
/// extended with the signatures that arrived since.</summary>
public sealed class TagMatcher(IEventStore store)
{
    private readonly ConcurrentDictionary<(long App, RollupKind Kind), SignatureList> _signatures = new();
    private readonly ConcurrentDictionary<string, Matches> _matches = new();

    // Rebuilding an element path as a DOM costs far more than running a selector on it, and every feature
    // rule runs against every path: each path is parsed once (up to a bound on memory).
    private const int MaxCachedChains = 100_000;
    private readonly ConcurrentDictionary<long, ElementChain> _chains = new();

    private ElementChain Chain(Signature path)
    {
        if (_chains.TryGetValue(path.Id, out var chain)) return chain;
        chain = ElementChain.Parse(path.Value);
        if (_chains.Count < MaxCachedChains) _chains[path.Id] = chain;
        return chain;
    }

    /// <summary>The rollups a tag counts: of its kind, with one of its signatures (and, for a feature
    /// restricted to a page, on one of that page's URLs).</summary>
    public async Task<TagScope> ScopeAsync(long subscriptionId, Tag tag, TagCatalog catalog, CancellationToken cancellationToken)
    {
        switch (tag)
        {
            case Page tagged:
                var pageRules = tagged.Rules.Select(PageRule.Parse).ToList();
                var urls = await MatchAsync(subscriptionId, tagged.ApplicationId, RollupKind.PageLoad, tagged.Id, tagged.Rules,
                    url => pageRules.Any(r => r.Matches(url.Value)), cancellationToken);
                return new TagScope(tagged.ApplicationId, RollupKind.PageLoad, urls, null);
            case Feature feature:
                var featureRules = feature.ElementPathRules.Select(FeatureRule.Parse).ToList();
                var paths = await MatchAsync(subscriptionId, feature.ApplicationId, RollupKind.Click, feature.Id, feature.ElementPathRules,
                    path =>
                    {
                        var chain = Chain(path);
                        lock (chain) return featureRules.Any(r => r.Matches(chain)); // a cached DOM may be shared by concurrent matches
                    }, cancellationToken);
                var onPage = await catalog.PageOfAsync(feature, cancellationToken) is { } page
                    ? (await ScopeAsync(subscriptionId, page, catalog, cancellationToken)).SignatureIds
                    : null;
                return new TagScope(feature.ApplicationId, RollupKind.Click, paths, onPage);
            case TrackType trackType:
                var names = await MatchAsync(subscriptionId, trackType.ApplicationId, RollupKind.Track, trackType.Id, [trackType.TrackTypeName],
                    name => name.Value == trackType.TrackTypeName, cancellationToken);
                return new TagScope(trackType.ApplicationId, RollupKind.Track, names, null);
            default:
                throw new ArgumentException($"No rules to match for {tag.GetType().Name}.", nameof(tag));
        }
    }

    private async Task<IReadOnlyCollection<long>> MatchAsync(
        long subscriptionId, long applicationId, RollupKind kind, string tagId, IReadOnlyList<string> rules, Func<Signature, bool> matches,
        CancellationToken cancellationToken)
    {
        var signatures = _signatures.GetOrAdd((applicationId, kind), _ => new SignatureList());
        var known = await signatures.RefreshAsync(store, subscriptionId, applicationId, kind, cancellationToken);
        var ruleText = string.Join('\n', rules);
        var entry = _matches.AddOrUpdate(tagId, _ => new Matches(ruleText), (_, cached) => cached.Rules == ruleText ? cached : new Matches(ruleText));
        return entry.Extend(known, matches);
    }

    /// <summary>Every signature of one application and kind seen so far, in arrival order.</summary>
    private sealed class SignatureList
    {
        private readonly SemaphoreSlim _refresh = new(1, 1);
        private volatile Signature[] _all = [];

        public async Task<Signature[]> RefreshAsync(IEventStore store, long subscriptionId, long applicationId, RollupKind kind, CancellationToken cancellationToken)
        {
            await _refresh.WaitAsync(cancellationToken);
            try
            {
                var all = _all;
                var after = all.Length == 0 ? 0 : all[^1].Sequence;
                var added = new List<Signature>();
                await foreach (var signature in store.ListSignaturesAsync(subscriptionId, applicationId, kind, after, cancellationToken))
                    added.Add(signature);
                if (added.Count > 0) _all = all = [.. all, .. added];
                return all;
            }
            finally
            {
                _refresh.Release();
            }
        }
    }

    /// <summary>The ids one tag's rules matched among the first <c>_checked</c> signatures.</summary>
    private sealed class Matches(string rules)
    {
        public string Rules { get; } = rules;

        private readonly Lock _lock = new();
        private HashSet<long> _ids = [];
        private int _checked;

        public IReadOnlyCollection<long> Extend(Signature[] known, Func<Signature, bool> matches)
        {
            lock (_lock)
            {
                if (_checked < known.Length)
                {
                    var ids = new HashSet<long>(_ids);
                    for (var i = _checked; i < known.Length; i++)
                        if (matches(known[i])) ids.Add(known[i].Id);
                    (_ids, _checked) = (ids, known.Length);
                }
                return _ids;
            }
        }
    }
}

/// <summary>The rollups one tag counts.</summary>
/// <param name="UrlIds">For a feature restricted to a page: the URLs of that page; otherwise null.</param>
public sealed record TagScope(long ApplicationId, RollupKind Kind, IReadOnlyCollection<long> SignatureIds, IReadOnlyCollection<long>? UrlIds);

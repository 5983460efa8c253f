using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Tagging.Rules;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>The rules of some tagged pages, features and track types of one application, matched against
/// single events the way the rollups match signatures: a page against any event but a track event on a URL
/// pages were loaded at, a feature against a click's element path (and its page against the click's URL), a
/// track type against a track event's name.</summary>
public sealed class TagRules
{
    private readonly List<(Page Page, List<PageRule> Rules)> _pages = [];
    private readonly List<(Feature Feature, List<FeatureRule> Rules, List<PageRule>? OnPage)> _features = [];
    private readonly List<TrackType> _trackTypes = [];
    private readonly HashSet<string> _loadedUrls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Page>> _pagesByUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Path, string? Url), List<Feature>> _featuresByClick = [];

    private TagRules()
    {
    }

    public bool IsEmpty => _pages.Count == 0 && _features.Count == 0 && _trackTypes.Count == 0;

    /// <summary>Rules for the <paramref name="tags"/> (all of application <paramref name="app"/>), in their order.</summary>
    public static async Task<TagRules> CreateAsync(PipelineRun run, long app, IEnumerable<Tag> tags)
    {
        var rules = new TagRules();
        foreach (var tag in tags)
            switch (tag)
            {
                case Page page:
                    rules._pages.Add((page, page.Rules.Select(PageRule.Parse).ToList()));
                    break;
                case Feature feature:
                    var onPage = await run.Services.Tags.PageOfAsync(feature, run.Cancellation);
                    rules._features.Add((feature, feature.ElementPathRules.Select(FeatureRule.Parse).ToList(), onPage?.Rules.Select(PageRule.Parse).ToList()));
                    break;
                case TrackType trackType:
                    rules._trackTypes.Add(trackType);
                    break;
            }
        if (rules._pages.Count > 0 || rules._features.Any(f => f.OnPage is not null))
            await foreach (var url in run.Services.Store.ListSignaturesAsync(run.SubscriptionId, app, RollupKind.PageLoad, 0, run.Cancellation))
                rules._loadedUrls.Add(url.Value);
        return rules;
    }

    /// <summary>The tags an event of <paramref name="kind"/> counts toward, pages first, then features, then track
    /// types. Answers are kept per URL and element path, which repeat far more often than they differ.</summary>
    public IEnumerable<Tag> Match(RollupKind kind, string? url, string? elementPath, string? trackName)
    {
        if (_pages.Count > 0 && kind != RollupKind.Track && url is not null)
        {
            if (!_pagesByUrl.TryGetValue(url, out var pages))
                _pagesByUrl[url] = pages = _loadedUrls.Contains(url) ? [.. _pages.Where(p => p.Rules.Any(r => r.Matches(url))).Select(p => p.Page)] : [];
            foreach (var page in pages) yield return page;
        }
        if (_features.Count > 0 && kind == RollupKind.Click && elementPath is not null)
        {
            // The URL matters only to features tagged on a page.
            var click = (elementPath, _features.Any(f => f.OnPage is not null) ? url : null);
            if (!_featuresByClick.TryGetValue(click, out var features))
            {
                var chain = ElementChain.Parse(elementPath);
                _featuresByClick[click] = features = [.. _features
                    .Where(f => f.Rules.Any(r => r.Matches(chain)) && (f.OnPage is null || (url is not null && _loadedUrls.Contains(url) && f.OnPage.Any(r => r.Matches(url)))))
                    .Select(f => f.Feature)];
            }
            foreach (var feature in features) yield return feature;
        }
        if (kind == RollupKind.Track)
            foreach (var trackType in _trackTypes)
                if (trackType.TrackTypeName == trackName) yield return trackType;
    }
}

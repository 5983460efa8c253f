using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Segments;
using Guidepost.Query.Time;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Rules;
using NodaTime;

namespace Guidepost.Query.Reports;

/// <summary>A step of a funnel or path: a page, feature or track type by id.</summary>
public sealed record StepRef(string Type, string Id);

public sealed record FunnelStep(string Name, long Count);

public sealed record PathStep(string Step, int Visitors, double Share);

public sealed record RetentionCohort(LocalDate Cohort, int Size, IReadOnlyList<int> Retained);

public sealed record Breakdown(string Value, int NumVisitors, long NumEvents);

/// <summary>Reports that follow each visitor's events in order: funnels, paths and retention read raw events
/// (time-ordered per application), matching each distinct URL and element path against the rules once; the
/// browser and language breakdowns are an Aggregations pipeline over <c>singleEvents</c>.</summary>
public sealed class Journeys(IEventStore store, TagCatalog catalog, AggregationEngine engine)
{
    public const int MaxFunnelDays = 90;

    /// <summary>Funnel counts per step: visitors who reached it (steps in order, intermediate events ignored,
    /// the whole range as the window), or, with <paramref name="timeout"/>, attempts (each step within the
    /// timeout of the previous one; reaching step 1 again starts a new attempt).</summary>
    public async Task<IReadOnlyList<FunnelStep>> FunnelAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, IReadOnlyList<StepRef> steps,
        Duration? timeout, CancellationToken cancellationToken)
    {
        var matchers = await MatchersAsync(subscriptionId, steps, cancellationToken);
        var counts = new long[steps.Count];
        var progress = new Dictionary<string, (int Reached, long LastAt)>(StringComparer.Ordinal);
        await foreach (var (visitor, e) in EventsAsync(subscriptionId, applicationIds, calendar, first, last, cancellationToken))
        {
            var reached = progress.TryGetValue(visitor, out var p) ? p : (Reached: 0, LastAt: 0L);
            if (timeout is { } limit)
            {
                if (matchers[0].Matches(e))
                {
                    reached = (1, e.BrowserTime);
                    counts[0]++;
                }
                else if (reached.Reached is > 0 and var at && at < steps.Count && matchers[at].Matches(e) && e.BrowserTime - reached.LastAt <= limit.TotalMilliseconds)
                {
                    reached = (at + 1, e.BrowserTime);
                    counts[at]++;
                }
            }
            else if (reached.Reached < steps.Count && matchers[reached.Reached].Matches(e))
            {
                counts[reached.Reached]++;
                reached = (reached.Reached + 1, e.BrowserTime);
            }
            progress[visitor] = reached;
        }
        return [.. matchers.Select((m, i) => new FunnelStep(m.Name, counts[i]))];
    }

    /// <summary>The <paramref name="length"/> steps (page loads, feature clicks, track events; consecutive
    /// repeats of a step collapse into one) after each visitor's first <paramref name="anchor"/> in the range, or
    /// before it when <paramref name="leadingTo"/>; per position, steps ranked by share of those visitors.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<PathStep>>> PathsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, StepRef anchor, bool leadingTo, int length,
        CancellationToken cancellationToken)
    {
        var target = (await MatchersAsync(subscriptionId, [anchor], cancellationToken))[0];
        var labels = await LabelerAsync(subscriptionId, cancellationToken);
        var journeys = new Dictionary<string, (bool Anchored, List<string> Steps)>(StringComparer.Ordinal);
        await foreach (var (visitor, e) in EventsAsync(subscriptionId, applicationIds, calendar, first, last, cancellationToken))
        {
            if (labels(e) is not { } step) continue;
            if (!journeys.TryGetValue(visitor, out var journey)) journeys[visitor] = journey = (false, []);
            if (journey.Anchored && (leadingTo || journey.Steps.Count > length)) continue;
            if (!journey.Anchored && target.Matches(e))
            {
                journeys[visitor] = (true, leadingTo ? journey.Steps : [step]);
                continue;
            }
            if (!journey.Anchored && !leadingTo) continue;
            if (journey.Steps.Count == 0 || journey.Steps[^1] != step) journey.Steps.Add(step);
            if (!journey.Anchored && leadingTo && journey.Steps.Count > length) journey.Steps.RemoveAt(0);
        }
        var anchored = journeys.Values.Where(j => j.Anchored).Select(j => leadingTo ? Enumerable.Reverse(j.Steps).ToList() : j.Steps.Skip(1).ToList()).ToList();
        return [.. Enumerable.Range(0, length).Select(position => (IReadOnlyList<PathStep>)[.. anchored
            .Where(steps => steps.Count > position)
            .GroupBy(steps => steps[position])
            .Select(g => new PathStep(g.Key, g.Count(), anchored.Count == 0 ? 0 : (double)g.Count() / anchored.Count))
            .OrderByDescending(s => s.Visitors).ThenBy(s => s.Step, StringComparer.Ordinal)])];
    }

    /// <summary>Identified visitors whose first visit falls in the range, by first-visit day; for each period
    /// (rolling from the visitor's own first visit), how many had an event in it.</summary>
    public async Task<IReadOnlyList<RetentionCohort>> RetentionAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, int periodDays, int periods,
        CancellationToken cancellationToken)
    {
        var periodMs = periodDays * 86_400_000L;
        var firstVisit = new Dictionary<string, long>(StringComparer.Ordinal);
        var active = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var (fromMs, _) = Range(calendar, first, last);
        var untilMs = Range(calendar, first, last).ToMs + periods * periodMs;
        await foreach (var (visitor, e) in EventsAsync(subscriptionId, applicationIds, fromMs, untilMs, cancellationToken))
        {
            if (AnonymousVisitors.Is(visitor)) continue;
            if (!firstVisit.TryGetValue(visitor, out var start))
            {
                var entity = await store.FindEntityAsync(subscriptionId, EntityKind.Visitor, visitor, cancellationToken);
                start = entity?.FirstSeen is { } seen && seen >= fromMs && calendar.DayOfMs(seen) <= last ? seen : -1;
                firstVisit[visitor] = start;
                active[visitor] = [];
            }
            if (start < 0) continue;
            var period = (int)((e.BrowserTime - start) / periodMs);
            if (period >= 0 && period < periods) active[visitor].Add(period);
        }
        return [.. firstVisit.Where(v => v.Value >= 0)
            .GroupBy(v => calendar.DayOfMs(v.Value))
            .OrderBy(g => g.Key)
            .Select(g => new RetentionCohort(g.Key, g.Count(), [.. Enumerable.Range(0, periods).Select(p => g.Count(v => active[v.Key].Contains(p)))]))];
    }

    /// <summary>Visitors and events per browser (<paramref name="byLanguage"/> false) or language, as the pipeline
    /// <see cref="BreakdownPipeline"/> counts them.</summary>
    public async Task<IReadOnlyList<Breakdown>> BreakdownAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, bool byLanguage, CancellationToken cancellationToken)
    {
        var (from, to) = Range(calendar, first, last);
        var prepared = await engine.PrepareAsync(subscriptionId, JsonSerializer.SerializeToElement(BreakdownPipeline(applicationIds, from, to, byLanguage)), cancellationToken);
        var pipeline = prepared.Pipelines[0];
        var rows = new List<Breakdown>();
        await foreach (var row in engine.RunAsync(pipeline, pipeline.Runs[0].Pipeline, cancellationToken))
            rows.Add(new Breakdown((string)row["value"]!, (int)(double)row["numVisitors"]!, (long)(double)row["numEvents"]!));
        return rows;
    }

    /// <summary><c>singleEvents</c> over the range, grouped by the event's browser (or language), most visitors first.</summary>
    public static JsonObject BreakdownPipeline(IReadOnlyList<long> applicationIds, long fromMs, long toMs, bool byLanguage) => new()
    {
        ["request"] = new JsonObject
        {
            ["name"] = byLanguage ? "language breakdown" : "browser breakdown",
            ["pipeline"] = new JsonArray(
                new JsonObject
                {
                    ["source"] = new JsonObject
                    {
                        ["singleEvents"] = new JsonObject { ["appId"] = new JsonArray([.. applicationIds.Select(a => (JsonNode)a)]) },
                        ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = fromMs, ["last"] = toMs - 1 },
                    },
                },
                new JsonObject { ["eval"] = new JsonObject { ["value"] = $"if(isNull({(byLanguage ? "language" : "browser")}), \"unknown\", {(byLanguage ? "language" : "browser")})" } },
                new JsonObject { ["group"] = new JsonObject { ["group"] = new JsonArray("value"), ["fields"] = new JsonObject
                {
                    ["numVisitors"] = new JsonObject { ["count"] = "visitorId" }, ["numEvents"] = new JsonObject { ["count"] = null },
                } } },
                new JsonObject { ["sort"] = new JsonArray("-numVisitors", "value") }),
        },
    };

    private static (long FromMs, long ToMs) Range(ReportCalendar calendar, LocalDate first, LocalDate last) =>
        (calendar.Zone.AtStartOfDay(first).ToInstant().ToUnixTimeMilliseconds(), calendar.Zone.AtStartOfDay(last.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds());

    private IAsyncEnumerable<(string Visitor, StoredEvent Event)> EventsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, CancellationToken cancellationToken)
    {
        var (from, to) = Range(calendar, first, last);
        return EventsAsync(subscriptionId, applicationIds, from, to, cancellationToken);
    }

    /// <summary>Events of the applications in time order, each with the identified visitor it counts for.</summary>
    private async IAsyncEnumerable<(string Visitor, StoredEvent Event)> EventsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, long fromMs, long toMs, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var identified = new Dictionary<string, string>(StringComparer.Ordinal);
        var streams = new List<IAsyncEnumerator<StoredEvent>>();
        try
        {
            foreach (var app in applicationIds)
            {
                var stream = store.ScanAsync(new EventScan(subscriptionId, app, fromMs, toMs), cancellationToken).GetAsyncEnumerator(cancellationToken);
                if (await stream.MoveNextAsync()) streams.Add(stream);
                else await stream.DisposeAsync();
            }
            while (streams.Count > 0)
            {
                var next = streams.MinBy(s => s.Current.BrowserTime)!;
                var e = next.Current;
                if (!identified.TryGetValue(e.VisitorId, out var visitor))
                {
                    visitor = AnonymousVisitors.Is(e.VisitorId)
                        ? await store.FindIdentifiedVisitorAsync(subscriptionId, e.VisitorId, cancellationToken) ?? e.VisitorId
                        : e.VisitorId;
                    identified[e.VisitorId] = visitor;
                }
                yield return (visitor, e);
                if (!await next.MoveNextAsync())
                {
                    streams.Remove(next);
                    await next.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }

    private sealed record StepMatcher(string Name, Func<StoredEvent, bool> Matches);

    /// <exception cref="ReportException">A step names no existing tag.</exception>
    private async Task<StepMatcher[]> MatchersAsync(long subscriptionId, IReadOnlyList<StepRef> steps, CancellationToken cancellationToken)
    {
        var matchers = new StepMatcher[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            matchers[i] = step.Type switch
            {
                "page" => await catalog.FindAsync<Page>(subscriptionId, step.Id, cancellationToken) is { } page ? PageMatcher(page) : null,
                "feature" => await catalog.FindAsync<Feature>(subscriptionId, step.Id, cancellationToken) is { } feature
                    ? FeatureMatcher(feature, await catalog.PageOfAsync(feature, cancellationToken))
                    : null,
                "trackType" => await catalog.FindAsync<TrackType>(subscriptionId, step.Id, cancellationToken) is { } type
                    ? new StepMatcher(type.Name, e => e.Type == "track" && e.ApplicationId == type.ApplicationId && e.TrackName == type.TrackTypeName)
                    : null,
                _ => throw new ReportException($"steps[{i}].type '{step.Type}' is not page, feature or trackType."),
            } ?? throw new ReportException($"steps[{i}]: no {step.Type} '{step.Id}'.");
        }
        return matchers;
    }

    private static StepMatcher PageMatcher(Page page)
    {
        var rules = page.Rules.Select(PageRule.Parse).ToList();
        var urls = new Dictionary<string, bool>(StringComparer.Ordinal);
        return new StepMatcher(page.Name, e => e.Type == "load" && e.ApplicationId == page.ApplicationId && e.Url is { } url
            && (urls.TryGetValue(url, out var hit) ? hit : urls[url] = rules.Any(r => r.Matches(url))));
    }

    private static StepMatcher FeatureMatcher(Feature feature, Page? onPage)
    {
        var rules = feature.ElementPathRules.Select(FeatureRule.Parse).ToList();
        var paths = new Dictionary<string, bool>(StringComparer.Ordinal);
        var page = onPage is null ? null : PageMatcher(onPage);
        return new StepMatcher(feature.Name, e => e.Type == "click" && e.ApplicationId == feature.ApplicationId && e.ElementPath is { } path
            && (paths.TryGetValue(path, out var hit) ? hit : paths[path] = rules.Any(r => r.Matches(ElementChain.Parse(path))))
            && (page is null || page.Matches(e with { Type = "load" })));
    }

    /// <summary>Names an event as a path step: its page, feature or track type, or the untagged URL.</summary>
    private async Task<Func<StoredEvent, string?>> LabelerAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var pages = (await catalog.ListAsync<Page>(subscriptionId, null, cancellationToken)).Select(PageMatcher).ToList();
        var features = new List<StepMatcher>();
        foreach (var f in await catalog.ListAsync<Feature>(subscriptionId, null, cancellationToken))
            features.Add(FeatureMatcher(f, await catalog.PageOfAsync(f, cancellationToken)));
        return e => e.Type switch
        {
            "load" => pages.FirstOrDefault(p => p.Matches(e))?.Name ?? $"untagged page {e.Url}",
            "click" => features.FirstOrDefault(f => f.Matches(e)) is { } feature ? feature.Name : null,
            "track" => $"track {e.TrackName}",
            _ => null,
        };
    }
}

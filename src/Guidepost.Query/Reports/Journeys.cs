using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Tags;
using Guidepost.Query.Aggregations;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Time;
using Guidepost.Tagging.Catalog;
using NodaTime;

namespace Guidepost.Query.Reports;

/// <summary>A step of a funnel or path: a page, feature or track type by id.</summary>
public sealed record StepRef(string Type, string Id);

public sealed record FunnelStep(string Name, long Count);

public sealed record PathStep(string Step, int Visitors, double Share);

public sealed record RetentionCohort(LocalDate Cohort, int Size, IReadOnlyList<int> Retained);

public sealed record Breakdown(string Value, int NumVisitors, long NumEvents);

/// <summary>Reports that follow each visitor's events in order — funnels, paths and retention — and the browser
/// and language breakdowns, each an Aggregations pipeline over <c>singleEvents</c> (the <c>funnel</c> and
/// <c>path</c> aggregators match events against the tags' rules as the event sources do).</summary>
public sealed class Journeys(TagCatalog catalog, AggregationEngine engine)
{
    public const int MaxFunnelDays = 90;

    /// <summary>Funnel counts per step: visitors who reached it (steps in order, intermediate events ignored,
    /// the whole range as the window), or, with <paramref name="timeout"/>, attempts (each step within the
    /// timeout of the previous one; reaching step 1 again starts a new attempt).</summary>
    public async Task<IReadOnlyList<FunnelStep>> FunnelAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, IReadOnlyList<StepRef> steps,
        Duration? timeout, CancellationToken cancellationToken)
    {
        var tags = await TagsAsync(subscriptionId, steps, cancellationToken);
        var (from, to) = Range(calendar, first, last);
        var funnel = new JsonObject { ["items"] = new JsonArray([.. tags.Select(Item)]), ["uniqueVisitorFunnel"] = timeout is null };
        if (timeout is { } limit) funnel["maxInterval"] = (long)limit.TotalSeconds;
        var reached = new SortedDictionary<int, long>();
        await foreach (var row in RunAsync(subscriptionId, "funnel", SingleEvents(applicationIds, from, to),
            [
                Stage("group", new JsonObject { ["group"] = new JsonArray("visitorId"), ["fields"] = new JsonObject { ["funnel"] = new JsonObject { ["funnel"] = funnel } } }),
                Stage("unwind", new JsonObject { ["field"] = "funnel" }),
                Stage("group", new JsonObject { ["group"] = new JsonArray("funnel.steps"), ["fields"] = new JsonObject { ["count"] = new JsonObject { ["count"] = null } } }),
                Stage("sort", new JsonArray("-funnel.steps")),
                Stage("accumulate", new JsonObject { ["reached"] = "count" }),
            ], cancellationToken))
            reached[(int)(double)Values.Get(row, "funnel.steps")!] = (long)(double)row["reached"]!;
        // Rows come with the most steps first, each counting the attempts that reached at least that many.
        return [.. tags.Select((tag, i) => new FunnelStep(tag.Name, reached.Where(r => r.Key >= i + 1).Select(r => r.Value).DefaultIfEmpty(0).Max()))];
    }

    /// <summary>The <paramref name="length"/> steps (page loads, feature clicks, track events; consecutive
    /// repeats of a step collapse into one) after each visitor's first <paramref name="anchor"/> in the range, or
    /// before it when <paramref name="leadingTo"/>; per position, steps ranked by share of those visitors.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<PathStep>>> PathsAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, StepRef anchor, bool leadingTo, int length,
        CancellationToken cancellationToken)
    {
        var target = (await TagsAsync(subscriptionId, [anchor], cancellationToken))[0];
        var (from, to) = Range(calendar, first, last);
        var path = (JsonObject)Item(target);
        path["predecessors"] = leadingTo;
        path["maxLength"] = length;
        path["collapseDups"] = true;
        var anchored = 0L;
        var counts = new List<(int Position, Row Step, int Visitors)>();
        await foreach (var row in RunAsync(subscriptionId, "paths", SingleEvents(applicationIds, from, to),
            [
                Stage("group", new JsonObject { ["group"] = new JsonArray("visitorId"), ["fields"] = new JsonObject { ["path"] = new JsonObject { ["path"] = path } } }),
                Stage("unwind", new JsonObject { ["field"] = "path" }),
                Stage("fork", new JsonArray(
                    new JsonArray(Stage("count", null)),
                    new JsonArray(
                        Stage("unwind", new JsonObject { ["field"] = "path", ["index"] = "position" }),
                        Stage("group", new JsonObject { ["group"] = new JsonArray("position", "path"), ["fields"] = new JsonObject { ["visitors"] = new JsonObject { ["count"] = "visitorId" } } })))),
            ], cancellationToken))
        {
            if (row.TryGetValue("count", out var count)) anchored = (long)(double)count!;
            else counts.Add(((int)(double)row["position"]!, (Row)((List<object?>)((Row)row["path"]!)["items"]!)[0]!, (int)(double)row["visitors"]!));
        }
        var names = await StepNamesAsync(subscriptionId, cancellationToken);
        return [.. Enumerable.Range(0, length).Select(position => (IReadOnlyList<PathStep>)[.. counts
            .Where(c => c.Position == position)
            .Select(c => new PathStep(names(c.Step), c.Visitors, anchored == 0 ? 0 : (double)c.Visitors / anchored))
            .OrderByDescending(s => s.Visitors).ThenBy(s => s.Step, StringComparer.Ordinal)])];
    }

    /// <summary>Identified visitors whose first active day (their anonymous past included) falls in the range, by that
    /// day; for each period of <paramref name="periodDays"/> local days counted from it, how many had an event in it.
    /// A <c>timespan</c> → <c>retention</c> pipeline: the active days come from the rollups, whatever the range.</summary>
    public async Task<IReadOnlyList<RetentionCohort>> RetentionAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, int periodDays, int periods,
        CancellationToken cancellationToken)
    {
        var (from, to) = Range(calendar, first, last);
        var retained = new SortedDictionary<long, int[]>();
        await foreach (var row in RunAsync(subscriptionId, "retention",
            new JsonObject { ["timespan"] = new JsonObject { ["kind"] = "visitor", ["appId"] = new JsonArray([.. applicationIds.Select(a => (JsonNode)a)]) } },
            [
                Stage("identified", "visitorId"),
                // A visitor of several applications has a row in each: one set of days for the person.
                Stage("group", new JsonObject { ["group"] = new JsonArray("visitorId"), ["fields"] = new JsonObject { ["activeDays"] = new JsonObject { ["daysActiveUnion"] = "activeDays" } } }),
                Stage("retention", new JsonObject
                {
                    ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = from, ["last"] = to - 1 },
                    ["offset"] = periodDays, ["relativePeriodsField"] = "period",
                }),
                Stage("unwind", new JsonObject { ["field"] = "period" }),
                Stage("filter", $"period < {periods}"),
                Stage("group", new JsonObject { ["group"] = new JsonArray("cohort", "period"), ["fields"] = new JsonObject { ["visitors"] = new JsonObject { ["count"] = "visitorId" } } }),
            ], cancellationToken))
        {
            var cohort = (long)(double)row["cohort"]!;
            if (!retained.TryGetValue(cohort, out var counts)) retained[cohort] = counts = new int[periods];
            counts[(int)(double)row["period"]!] = (int)(double)row["visitors"]!;
        }
        // Period 0 holds every visitor of the cohort (their first day is in it).
        return [.. retained.Select(c => new RetentionCohort(calendar.DayOfMs(c.Key), c.Value[0], c.Value))];
    }

    /// <summary>Visitors and events per browser (<paramref name="byLanguage"/> false) or language, as the pipeline
    /// <see cref="BreakdownPipeline"/> counts them.</summary>
    public async Task<IReadOnlyList<Breakdown>> BreakdownAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, LocalDate first, LocalDate last, bool byLanguage, CancellationToken cancellationToken)
    {
        var (from, to) = Range(calendar, first, last);
        var rows = new List<Breakdown>();
        await foreach (var row in engine.RunAsync(subscriptionId, BreakdownPipeline(applicationIds, from, to, byLanguage), cancellationToken))
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
                new JsonObject { ["source"] = SingleEvents(applicationIds, fromMs, toMs) },
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

    private static JsonObject SingleEvents(IReadOnlyList<long> applicationIds, long fromMs, long toMs) => new()
    {
        ["singleEvents"] = new JsonObject { ["appId"] = new JsonArray([.. applicationIds.Select(a => (JsonNode)a)]) },
        ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = fromMs, ["last"] = toMs - 1 },
    };

    private static JsonObject Stage(string name, JsonNode? value) => new() { [name] = value };

    private IAsyncEnumerable<Row> RunAsync(long subscriptionId, string name, JsonObject source, JsonNode[] stages, CancellationToken cancellationToken) =>
        engine.RunAsync(subscriptionId, new JsonObject
        {
            ["request"] = new JsonObject { ["name"] = name, ["pipeline"] = new JsonArray([new JsonObject { ["source"] = source }, .. stages]) },
        }, cancellationToken);

    /// <summary>The step's tag, checked to exist.</summary>
    /// <exception cref="ReportException">A step is of an unknown type or names no existing tag.</exception>
    private async Task<List<Tag>> TagsAsync(long subscriptionId, IReadOnlyList<StepRef> steps, CancellationToken cancellationToken)
    {
        var tags = new List<Tag>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Type is not ("page" or "feature" or "trackType")) throw new ReportException($"steps[{i}].type '{step.Type}' is not page, feature or trackType.");
            tags.Add(await catalog.FindAsync(subscriptionId, step.Type, step.Id, cancellationToken) ?? throw new ReportException($"steps[{i}]: no {step.Type} '{step.Id}'."));
        }
        return tags;
    }

    private static JsonNode Item(Tag tag) => new JsonObject { [tag switch { Page => "pageId", Feature => "featureId", _ => "trackTypeId" }] = tag.Id };

    /// <summary>Names a path step: its page or feature, the untagged URL, or the track event.</summary>
    private async Task<Func<Row, string>> StepNamesAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var page in await catalog.ListAsync<Page>(subscriptionId, null, cancellationToken)) names[page.Id] = page.Name;
        foreach (var feature in await catalog.ListAsync<Feature>(subscriptionId, null, cancellationToken)) names[feature.Id] = feature.Name;
        return step => step switch
        {
            _ when step.TryGetValue("pageId", out var id) || step.TryGetValue("featureId", out id) => names.GetValueOrDefault((string)id!, (string)id!),
            _ when step.TryGetValue("url", out var url) => $"untagged page {url}",
            _ => $"track {step["trackTypeName"]}",
        };
    }
}

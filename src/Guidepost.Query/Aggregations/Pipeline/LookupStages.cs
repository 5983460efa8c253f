using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Reports;
using Guidepost.Query.Segments;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"bulkExpand": {"out": {"visitor": "visitorId"}}}</c> (or <c>{"account": "accountId"}</c>):
/// adds the visitor's or account's metadata groups (<c>out.auto.*</c>, <c>out.agent.*</c>, …), each id
/// read once per query.</summary>
public sealed class BulkExpandStage(int index, string output, EntityKind kind, string field) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var found = new Dictionary<string, Row?>(StringComparer.Ordinal);
        await foreach (var row in input)
        {
            Row? metadata = null;
            if (Values.Get(row, field) is string id)
            {
                if (!found.TryGetValue(id, out metadata))
                {
                    metadata = await run.Services.Objects.FindEntityAsync(run.SubscriptionId, kind, id, run.Cancellation);
                    found[id] = metadata;
                    run.Hold(found.Count, Index);
                }
            }
            Values.Set(row, output, Values.DeepCopy(metadata));
            yield return row;
        }
    }
}

/// <summary><c>{"expand": {"out": {"page": "pageId"}}}</c> (also <c>feature</c>, <c>trackType</c>,
/// <c>guide</c>): adds the tagged object the id names, as <c>GET /api/v1/page</c> shows it.</summary>
public sealed class ExpandStage(int index, string output, TagKind kind, string field) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var tags = (await run.Services.Objects.ListTagsAsync(run.SubscriptionId, kind, null, run.Cancellation))
            .Where(t => t.TryGetValue("id", out var id) && id is string)
            .ToDictionary(t => (string)t["id"]!, StringComparer.Ordinal);
        await foreach (var row in input)
        {
            Values.Set(row, output, Values.Get(row, field) is string id && tags.TryGetValue(id, out var tag) ? Values.DeepCopy(tag) : null);
            yield return row;
        }
    }
}

/// <summary><c>{"expandList": {"inputField": "productAreaIds", "outputField": "productAreas", "typeName":
/// "productArea"}}</c> (or <c>"app"</c>): the objects a list of ids names, in the list's order, as
/// <c>GET /api/v1/group</c> (or the <c>apps</c> source) shows them; an id that names nothing is left out.</summary>
public sealed class ExpandListStage(int index, string input, string output, string typeName) : Stage(index)
{
    public static ExpandListStage Parse(System.Text.Json.JsonElement spec, int index)
    {
        string? Text(string name) => spec.ValueKind == System.Text.Json.JsonValueKind.Object && spec.TryGetProperty(name, out var v)
            && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        var (input, output, type) = (Text("inputField"), Text("outputField"), Text("typeName"));
        if (input is null || output is null || type is null)
            throw AggregationException.Invalid("expandList takes {\"inputField\":\"productAreaIds\",\"outputField\":\"productAreas\",\"typeName\":\"productArea\"}", index);
        if (type is not ("productArea" or "app"))
            throw AggregationException.Invalid($"expandList.typeName \"{type}\" is not supported; Guidepost expands \"productArea\" and \"app\"", index);
        return new ExpandListStage(index, input, output, type);
    }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        var objects = typeName == "app"
            ? await run.Services.Objects.ListApplicationsAsync(run.SubscriptionId, run.Cancellation)
            : await run.Services.Objects.ListProductAreasAsync(run.SubscriptionId, run.Cancellation);
        var byId = new Dictionary<ValueKey, Row>();
        foreach (var item in objects) byId.TryAdd(new ValueKey(Values.Get(item, "id")), item);
        await foreach (var row in rows)
        {
            var ids = Values.Get(row, input) switch { List<object?> list => list, null => [], var one => [one] };
            Values.Set(row, output, ids.Select(id => byId.TryGetValue(new ValueKey(id), out var found) ? Values.DeepCopy(found) : null).OfType<Row>().Cast<object?>().ToList());
            yield return row;
        }
    }
}

/// <summary><c>{"segment": {"id": "…"}}</c>: keeps rows whose visitor is in the saved segment, counted
/// once for the whole query.</summary>
public sealed class SegmentStage(int index, string segmentId) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var services = run.Services;
        CompiledSegment segment;
        try
        {
            segment = await SegmentCatalog.CompileAsync(run.SubscriptionId, segmentId, services.Saved, services.Tags, services.Matcher, run.Cancellation);
        }
        catch (ReportException e)
        {
            throw new AggregationException(404, e.Message, Index);
        }
        var members = await services.Segments.VisitorsAsync(run.SubscriptionId, run.ApplicationIds, segment, run.Cancellation);
        await foreach (var row in input)
            if (Values.Get(row, "visitorId") is string visitor && members.Contains(visitor)) yield return row;
    }
}

/// <summary><c>{"itemSeen": {"out": {"pageId": "…"}}}</c> (or <c>featureId</c>, <c>trackTypeId</c>): the row
/// visitor's all-time use of the object, <c>out.count</c> (page loads, clicks or track events) and
/// <c>out.lastUsed</c> (the time of the latest), or null for a visitor who never used it. The exclude list does
/// not apply, as in Pendo. Rows are held to the end of the input so every visitor is read in one pass: the
/// rollups give each visitor's count and last hour, and one read of each such hour's raw events the exact time.</summary>
public sealed class ItemSeenStage(int index, string output, JourneyStep item) : Stage(index)
{
    private const long MsPerHour = 3_600_000;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var tag = await item.FindAsync(run, Index, $"itemSeen.{output}");
        var rows = new List<Row>();
        await foreach (var row in input)
        {
            rows.Add(row);
            run.Hold(rows.Count, Index);
        }
        var use = await UseAsync(tag, rows.Select(r => Values.Get(r, "visitorId")).OfType<string>().ToHashSet(StringComparer.Ordinal), run);
        foreach (var row in rows)
        {
            Values.Set(row, output, Values.Get(row, "visitorId") is string visitor && use.TryGetValue(visitor, out var seen)
                ? new Row(StringComparer.Ordinal) { ["count"] = (double)seen.Count, ["lastUsed"] = (double)seen.LastUsed }
                : null);
            yield return row;
        }
    }

    private static async Task<Dictionary<string, (long Count, long LastUsed)>> UseAsync(Config.Entities.Tags.Tag tag, HashSet<string> visitors, PipelineRun run)
    {
        var services = run.Services;
        var scope = await services.Matcher.ScopeAsync(run.SubscriptionId, tag, services.Tags, run.Cancellation);
        var query = new RollupQuery(run.SubscriptionId, [scope.ApplicationId], 0, long.MaxValue,
            RollupGrouping.Hour | RollupGrouping.Visitor | (scope.UrlIds is null ? 0 : RollupGrouping.Url))
        { Kinds = [scope.Kind], SignatureIds = scope.SignatureIds, Minutes = false };
        var counts = new Dictionary<string, (long Count, long LastHour)>(StringComparer.Ordinal);
        if (scope.SignatureIds.Count > 0)
            await foreach (var total in services.Store.QueryRollupsAsync(query, run.Cancellation))
            {
                if (total.VisitorId is not { } visitor || !visitors.Contains(visitor) || (scope.UrlIds is { } urls && !urls.Contains(total.UrlId))) continue;
                var (count, lastHour) = counts.GetValueOrDefault(visitor);
                counts[visitor] = (count + total.Events, Math.Max(lastHour, total.Hour));
            }

        // The exact time: each last hour's raw events, read once for every visitor whose last use it holds.
        var rules = await Sources.TagRules.CreateAsync(run, scope.ApplicationId, [tag]);
        var identified = new Sources.IdentifiedVisitors(run);
        var used = new Dictionary<string, (long Count, long LastUsed)>(StringComparer.Ordinal);
        foreach (var hour in counts.GroupBy(c => c.Value.LastHour))
        {
            var waiting = hour.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            await foreach (var e in services.Store.ScanAsync(new EventScan(run.SubscriptionId, scope.ApplicationId, hour.Key * MsPerHour, (hour.Key + 1) * MsPerHour,
                EventFields.Url | EventFields.ElementPath | EventFields.TrackName), run.Cancellation))
            {
                var visitor = await identified.OfAsync(e.VisitorId);
                if (!waiting.Contains(visitor) || Rollup.Classify(e).Kind != scope.Kind) continue;
                if (rules.Match(scope.Kind, e.Url, e.ElementPath, e.TrackName).Any(t => t.Id == tag.Id))
                    used[visitor] = (counts[visitor].Count, Math.Max(used.GetValueOrDefault(visitor).LastUsed, e.BrowserTime));
            }
        }
        return used;
    }
}

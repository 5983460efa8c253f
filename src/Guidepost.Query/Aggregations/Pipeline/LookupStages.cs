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

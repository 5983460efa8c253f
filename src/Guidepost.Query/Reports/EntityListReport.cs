using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Segments;
using Guidepost.Query.Time;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;
using NodaTime;

namespace Guidepost.Query.Reports;

/// <summary>A visitor or account list: who was active in the range (optionally only a segment's visitors),
/// with metric and metadata columns, sorted.</summary>
public sealed record ListDefinition(EntityKind Level, LocalDate First, LocalDate Last, string? SegmentId, IReadOnlyList<string> Columns, string? Sort, int Limit)
{
    public const int MaxLimit = 100_000;

    /// <summary>Metric columns; any other column is a metadata field written <c>group.field</c>.</summary>
    public static readonly IReadOnlyList<string> Metrics =
        ["firstVisit", "lastVisit", "daysActive", "numMinutes", "numEvents", "pageViews", "clicks", "featureClicks", "trackEvents", "numVisitors"];

    public static readonly IReadOnlySet<string> TimeColumns = new HashSet<string> { "firstVisit", "lastVisit" };

    /// <summary>Explains what is wrong with the columns and sort, or null.</summary>
    public string? Problem()
    {
        if (Columns.Count == 0) return "columns must name at least one metric or metadata field.";
        if (Columns.Any(c => c is null)) return "columns must be names of metrics or metadata fields, not null.";
        foreach (var column in Columns)
            if (!Metrics.Contains(column) && (column.IndexOf('.') is var dot && (dot <= 0 || dot == column.Length - 1)))
                return $"column '{column}' is neither a metric ({string.Join(", ", Metrics)}) nor a metadata field such as agent.email.";
        if (Level == EntityKind.Visitor && Columns.Contains("numVisitors")) return "numVisitors is a column of account lists.";
        if (Sort is { } sort && sort.TrimStart('-') is var key && key != "id" && !Columns.Contains(key)) return $"sort '{sort}' must be id or one of the columns, with - for descending.";
        if (Limit is < 1 or > MaxLimit) return $"limit must be from 1 to {MaxLimit}.";
        return null;
    }
}

/// <summary>A list's rows: the entity id and one value per column (numbers, epoch ms, metadata JSON values or null).</summary>
public sealed record ListResult(IReadOnlyList<string> Columns, IReadOnlyList<ListRow> Rows, int Total);

public sealed record ListRow(string Id, IReadOnlyList<object?> Values);

/// <summary>Runs lists as Aggregations pipelines (<see cref="Pipeline"/>), so a list shows what
/// <c>POST /api/v1/aggregation</c> answers; segments, metadata, sorting and the limit are applied to its rows.</summary>
public sealed class EntityListReport(
    IEventStore store, AggregationEngine engine, SegmentMembers segments, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher)
{
    /// <summary>One row per visitor (or account) active in the range: events, days active, minutes, page loads,
    /// clicks and track events from <c>events</c>, feature clicks from <c>featureEvents</c>, joined by id.</summary>
    public static JsonObject Pipeline(IReadOnlyList<long> applicationIds, LocalDate first, LocalDate last, DateTimeZone zone, ListDefinition definition)
    {
        var id = definition.Level == EntityKind.Visitor ? "visitorId" : "accountId";
        var apps = new JsonArray([.. applicationIds.Select(a => (JsonNode)a)]);
        JsonObject Source(string name) => new()
        {
            ["source"] = new JsonObject
            {
                [name] = new JsonObject { ["appId"] = apps.DeepClone() },
                ["timeSeries"] = new JsonObject
                {
                    ["period"] = "dayRange",
                    ["first"] = zone.AtStartOfDay(first).ToInstant().ToUnixTimeMilliseconds(),
                    ["last"] = zone.AtStartOfDay(last).ToInstant().ToUnixTimeMilliseconds(),
                },
            },
        };
        JsonObject Sum(string field) => new() { ["sum"] = field };
        var fields = new JsonObject
        {
            ["numEvents"] = Sum("numEvents"), ["daysActive"] = new JsonObject { ["count"] = "day" }, ["numMinutes"] = Sum("numMinutes"),
            ["pageViews"] = Sum("numPageLoads"), ["clicks"] = Sum("numClicks"), ["trackEvents"] = Sum("numTrackEvents"),
        };
        if (definition.Level == EntityKind.Account)
        {
            fields["numVisitors"] = new JsonObject { ["count"] = "visitorId" };
            if (definition.SegmentId is not null) fields["visitorIds"] = new JsonObject { ["list"] = "visitorId" };
        }
        JsonObject Group(JsonObject groupFields) => new() { ["group"] = new JsonObject { ["group"] = new JsonArray(id), ["fields"] = groupFields } };
        var branches = new JsonArray(new JsonArray(Source("events"), Group(fields)));
        if (definition.Columns.Contains("featureClicks"))
            branches.Add(new JsonArray(Source("featureEvents"), Group(new JsonObject { ["featureClicks"] = Sum("numEvents") })));
        return new JsonObject
        {
            ["request"] = new JsonObject
            {
                ["name"] = $"{definition.Level.ToString().ToLowerInvariant()} list",
                ["pipeline"] = new JsonArray(new JsonObject { ["spawn"] = branches }, new JsonObject { ["join"] = new JsonObject { ["fields"] = new JsonArray(id) } }),
            },
        };
    }

    /// <exception cref="ReportException">The segment does not exist or names a missing tag.</exception>
    public async Task<ListResult> RunAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, ListDefinition definition, CancellationToken cancellationToken)
    {
        var id = definition.Level == EntityKind.Visitor ? "visitorId" : "accountId";
        var active = new Dictionary<string, Row>(StringComparer.Ordinal);
        await foreach (var row in engine.RunAsync(subscriptionId, Pipeline(applicationIds, definition.First, definition.Last, calendar.Zone, definition), cancellationToken))
            if (row.GetValueOrDefault(id) is string entity && row.ContainsKey("numEvents")) active[entity] = row;

        if (definition.SegmentId is { } segmentId)
        {
            var segment = await SegmentCatalog.CompileAsync(subscriptionId, segmentId, saved, catalog, matcher, cancellationToken);
            var members = await segments.VisitorsAsync(subscriptionId, applicationIds, segment, cancellationToken);
            foreach (var (entity, row) in active.ToList())
                if (definition.Level == EntityKind.Visitor
                        ? !members.Contains(entity)
                        : !(row.GetValueOrDefault("visitorIds") is List<object?> visitors && visitors.OfType<string>().Any(members.Contains)))
                    active.Remove(entity);
        }

        var records = new Dictionary<string, EntityRecord>(StringComparer.Ordinal);
        if (definition.Columns.Any(c => !ListDefinition.Metrics.Contains(c) || ListDefinition.TimeColumns.Contains(c)))
            await foreach (var record in store.ListEntitiesAsync(subscriptionId, definition.Level, null, cancellationToken))
                if (active.ContainsKey(record.Id)) records[record.Id] = record;

        var rows = active.Select(a => new ListRow(a.Key, [.. definition.Columns.Select(c => Value(c, a.Value, records.GetValueOrDefault(a.Key)))])).ToList();
        var sort = definition.Sort ?? "id";
        var descending = sort.StartsWith('-');
        var key = sort.TrimStart('-');
        var index = key == "id" ? -1 : definition.Columns.ToList().IndexOf(key);
        var comparer = Comparer<ListRow>.Create((a, b) =>
        {
            var order = index < 0 ? 0 : CompareValues(a.Values[index], b.Values[index]);
            if (descending) order = -order;
            return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id) * (descending && index < 0 ? -1 : 1);
        });
        rows.Sort(comparer);
        return new ListResult(definition.Columns, rows.Take(definition.Limit).ToList(), rows.Count);
    }

    private static object? Value(string column, Row a, EntityRecord? record) => column switch
    {
        "firstVisit" => record?.FirstSeen,
        "lastVisit" => record?.LastSeen,
        "daysActive" or "numMinutes" or "numEvents" or "pageViews" or "clicks" or "featureClicks" or "trackEvents" or "numVisitors" =>
            (long)(a.GetValueOrDefault(column) as double? ?? 0),
        _ => SegmentEvaluation.Lookup(record, column[..column.IndexOf('.')], column[(column.IndexOf('.') + 1)..]) is { } json
            ? JsonDocument.Parse(json).RootElement.Clone()
            : null,
    };

    /// <summary>Nulls last; numbers as numbers; anything else as text.</summary>
    private static int CompareValues(object? a, object? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : 1) : -1;
        var x = Number(a);
        var y = Number(b);
        if (x is not null && y is not null) return x.Value.CompareTo(y.Value);
        return string.Compare(Text(a), Text(b), StringComparison.OrdinalIgnoreCase);
    }

    private static double? Number(object value) => value switch
    {
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => null,
    };

    private static string Text(object value) => value is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString()! : value.ToString()!;
}

/// <summary>A report cannot run as defined; the message says why.</summary>
public sealed class ReportException(string message) : Exception(message);

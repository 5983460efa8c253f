using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Query.Metrics;
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

public sealed class EntityListReport(
    IEventStore store, EntityActivity activity, SegmentMembers segments, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher)
{
    /// <exception cref="ReportException">The segment does not exist or names a missing tag.</exception>
    public async Task<ListResult> RunAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, ReportCalendar calendar, ListDefinition definition, CancellationToken cancellationToken)
    {
        var featureSignatures = new HashSet<long>();
        if (definition.Columns.Contains("featureClicks"))
            foreach (var feature in await catalog.ListAsync<Feature>(subscriptionId, applicationIds, cancellationToken))
                featureSignatures.UnionWith((await matcher.ScopeAsync(subscriptionId, feature, catalog, cancellationToken)).SignatureIds);

        var active = await activity.RunAsync(subscriptionId, applicationIds, definition.Level, definition.First, definition.Last, calendar, featureSignatures, cancellationToken);

        if (definition.SegmentId is { } segmentId)
        {
            var segment = await SegmentCatalog.CompileAsync(subscriptionId, segmentId, saved, catalog, matcher, cancellationToken);
            var members = await segments.VisitorsAsync(subscriptionId, applicationIds, segment, cancellationToken);
            foreach (var id in active.Keys.ToList())
                if (definition.Level == EntityKind.Visitor ? !members.Contains(id) : !active[id].Visitors.Overlaps(members))
                    active.Remove(id);
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

    private static object? Value(string column, Activity a, EntityRecord? record) => column switch
    {
        "firstVisit" => record?.FirstSeen,
        "lastVisit" => record?.LastSeen,
        "daysActive" => a.DaysActive,
        "numMinutes" => a.NumMinutes,
        "numEvents" => a.NumEvents,
        "pageViews" => a.PageViews,
        "clicks" => a.Clicks,
        "featureClicks" => a.FeatureClicks,
        "trackEvents" => a.TrackEvents,
        "numVisitors" => a.NumVisitors,
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

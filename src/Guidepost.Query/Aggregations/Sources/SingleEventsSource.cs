using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary><c>singleEvents</c> (one row per raw event), and <c>guideEvents</c> / <c>pollEvents</c> (the
/// guide and poll events among them, with the guide fields lifted out of the event's properties).</summary>
public sealed class SingleEventsSource(int index, string name, SourceParameters parameters, TimeSeries window) : SourceStage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var apps = parameters.ApplicationIds(run);
        if (parameters.ExcludeList(run.ExcludeList) == "only") yield break;
        var classes = EventClasses();
        var guideId = parameters.String("guideId");
        var identified = new IdentifiedVisitors(run);
        var rows = new List<Row>();
        var reverse = parameters.Boolean("reverseTime") == true;
        await foreach (var e in InTimeOrderAsync(apps, run))
        {
            if (!Wanted(e, classes)) continue;
            var row = Row(e, await identified.OfAsync(e.VisitorId));
            if (guideId is not null && Values.Get(row, "guideId") as string != guideId) continue;
            if (!reverse)
            {
                yield return row;
                continue;
            }
            rows.Add(row);
            run.Hold(rows.Count, Index);
        }
        for (var i = rows.Count - 1; i >= 0; i--) yield return rows[i];
    }

    /// <summary>The applications' events merged into one time order (each application's scan is in time order).</summary>
    private async IAsyncEnumerable<StoredEvent> InTimeOrderAsync(IReadOnlyList<long> apps, PipelineRun run)
    {
        var scans = new List<IAsyncEnumerator<StoredEvent>>();
        var next = new PriorityQueue<IAsyncEnumerator<StoredEvent>, (long Time, int Scan)>();
        try
        {
            foreach (var app in apps)
            {
                var scan = run.Services.Store.ScanAsync(new EventScan(run.SubscriptionId, app, window.FromMs, window.ToMs), run.Cancellation).GetAsyncEnumerator(run.Cancellation);
                scans.Add(scan);
                if (await scan.MoveNextAsync()) next.Enqueue(scan, (scan.Current.BrowserTime, scans.Count));
            }
            while (next.TryDequeue(out var scan, out var order))
            {
                yield return scan.Current;
                if (await scan.MoveNextAsync()) next.Enqueue(scan, (scan.Current.BrowserTime, order.Scan));
            }
        }
        finally
        {
            foreach (var scan in scans) await scan.DisposeAsync();
        }
    }

    private HashSet<string>? EventClasses()
    {
        if (name != "singleEvents") return null;
        var classes = parameters.Strings("eventClass");
        if (classes is null) return null;
        foreach (var c in classes)
            if (c is not ("ui" or "track" or "web"))
                throw AggregationException.Invalid($"singleEvents.eventClass takes \"ui\" and \"track\"; got \"{c}\"", Index);
        return [.. classes];
    }

    private bool Wanted(StoredEvent e, HashSet<string>? classes) => name switch
    {
        "guideEvents" => e.Type.StartsWith("guide", StringComparison.Ordinal),
        "pollEvents" => e.Type.StartsWith("poll", StringComparison.Ordinal),
        _ => classes is null || classes.Contains(e.Type == "track" ? "track" : "ui") || (classes.Contains("web") && e.Type != "track"),
    };

    /// <summary>One raw event as a row, with the guide and poll fields lifted out of its properties.</summary>
    public static Row Row(StoredEvent e, string visitor)
    {
        var row = new Row(24, StringComparer.Ordinal)
        {
            ["visitorId"] = visitor,
            ["accountId"] = e.AccountId,
            ["appId"] = (double)e.ApplicationId,
            ["browserTime"] = (double)e.BrowserTime,
            ["type"] = e.Type,
            ["url"] = e.Url,
            ["server"] = Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) ? uri.Host : null,
            ["title"] = e.Title,
            ["elementPath"] = e.ElementPath,
            ["trackTypeName"] = e.TrackName,
            ["tabId"] = e.TabId,
            ["sessionId"] = e.SessionId,
            ["remoteIp"] = e.RemoteIp,
            ["userAgent"] = e.UserAgent,
            ["browser"] = e.Browser,
            ["browserVersion"] = e.BrowserVersion,
            ["os"] = e.Os,
            ["device"] = e.Device,
            ["language"] = e.Language,
        };
        object? properties = null;
        if (e.Properties is not null)
        {
            using var json = JsonDocument.Parse(e.Properties);
            properties = Values.FromJson(json.RootElement);
        }
        row["properties"] = properties;
        if (properties is Row props && (e.Type.StartsWith("guide", StringComparison.Ordinal) || e.Type.StartsWith("poll", StringComparison.Ordinal)))
            foreach (var (field, property) in GuideFields)
                if (props.TryGetValue(property, out var value)) row[field] = value;
        return row;
    }

    /// <summary>Guide and poll fields as the agent sends them (snake case) and as Pendo's rows name them.</summary>
    private static readonly (string Field, string Property)[] GuideFields =
    [
        ("guideId", "guide_id"), ("guideStepId", "guide_step_id"), ("guideSeenReason", "seen_reason"), ("guideSeenReason", "reason"), ("destinationStepId", "destination_step_id"),
        ("pollId", "poll_id"), ("pollResponse", "poll_response"), ("pollType", "poll_type"), ("uiElementId", "ui_element_id"),
        ("uiElementType", "ui_element_type"), ("uiElementText", "ui_element_text"),
    ];
}

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
        var store = run.Services.Store;
        var identified = new IdentifiedVisitors(run);
        var rows = new List<Row>();
        var reverse = parameters.Boolean("reverseTime") == true;
        foreach (var app in apps)
            await foreach (var e in store.ScanAsync(new EventScan(run.SubscriptionId, app, window.FromMs, window.ToMs), run.Cancellation))
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

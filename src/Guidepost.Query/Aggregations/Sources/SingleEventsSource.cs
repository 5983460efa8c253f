using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary><c>singleEvents</c> (one row per raw event), and <c>guideEvents</c> / <c>pollEvents</c> (the
/// guide and poll events among them, with the guide fields lifted out of the event's properties).</summary>
public sealed class SingleEventsSource(int index, string name, SourceParameters parameters, TimeSeries window) : SourceStage(index)
{
    public string Name { get; } = name;

    /// <summary>The fields the rest of the pipeline reads, when the planner could tell; null builds them all.</summary>
    public IReadOnlySet<string>? Fields { get; set; }

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
            var row = Row(e, await identified.OfAsync(e.VisitorId), Name == "singleEvents" ? Fields : null);
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
                var scan = run.Services.Store.ScanAsync(new EventScan(run.SubscriptionId, app, window.FromMs, window.ToMs, StoredFields()), run.Cancellation)
                    .GetAsyncEnumerator(run.Cancellation);
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

    /// <summary>The stored fields the row fields the pipeline reads come from (all when it was not told).</summary>
    private EventFields StoredFields()
    {
        if (Name != "singleEvents" || Fields is null) return EventFields.All;
        var stored = EventFields.None;
        foreach (var field in Fields)
            stored |= field switch
            {
                "accountId" => EventFields.Account,
                "url" or "server" => EventFields.Url,
                "title" => EventFields.Title,
                "elementPath" => EventFields.ElementPath,
                "trackTypeName" => EventFields.TrackName,
                "tabId" => EventFields.Tab,
                "sessionId" => EventFields.Session,
                "remoteIp" => EventFields.RemoteIp,
                "userAgent" or "browser" or "browserVersion" or "os" or "device" => EventFields.UserAgent,
                "language" => EventFields.Language,
                "visitorId" or "appId" or "browserTime" or "type" => EventFields.None,
                _ => EventFields.Properties, // properties and the guide fields lifted out of them
            };
        return stored;
    }

    private HashSet<string>? EventClasses()
    {
        if (Name != "singleEvents") return null;
        var classes = parameters.Strings("eventClass");
        if (classes is null) return null;
        foreach (var c in classes)
            if (c is not ("ui" or "track" or "web"))
                throw AggregationException.Invalid($"singleEvents.eventClass takes \"ui\" and \"track\"; got \"{c}\"", Index);
        return [.. classes];
    }

    private bool Wanted(StoredEvent e, HashSet<string>? classes) => Name switch
    {
        "guideEvents" => e.Type.StartsWith("guide", StringComparison.Ordinal),
        "pollEvents" => e.Type.StartsWith("poll", StringComparison.Ordinal),
        _ => classes is null || classes.Contains(e.Type == "track" ? "track" : "ui") || (classes.Contains("web") && e.Type != "track"),
    };

    /// <summary>One raw event as a row, with the guide and poll fields lifted out of its properties; with
    /// <paramref name="fields"/>, only those fields (the planner's list of what the pipeline reads).</summary>
    public static Row Row(StoredEvent e, string visitor, IReadOnlySet<string>? fields = null)
    {
        var row = new Row(fields?.Count ?? 24, StringComparer.Ordinal);
        void Put(string field, object? value)
        {
            if (fields is null || fields.Contains(field)) row[field] = value;
        }
        Put("visitorId", visitor);
        Put("accountId", e.AccountId);
        Put("appId", (double)e.ApplicationId);
        Put("browserTime", (double)e.BrowserTime);
        Put("type", e.Type);
        Put("url", e.Url);
        if (fields is null || fields.Contains("server")) row["server"] = Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) ? uri.Host : null;
        Put("title", e.Title);
        Put("elementPath", e.ElementPath);
        Put("trackTypeName", e.TrackName);
        Put("tabId", e.TabId);
        Put("sessionId", e.SessionId);
        Put("remoteIp", e.RemoteIp);
        Put("userAgent", e.UserAgent);
        Put("browser", e.Browser);
        Put("browserVersion", e.BrowserVersion);
        Put("os", e.Os);
        Put("device", e.Device);
        Put("language", e.Language);
        if (fields is not null && !fields.Contains("properties") && !GuideFields.Any(g => fields.Contains(g.Field))) return row;
        object? properties = null;
        if (e.Properties is not null)
        {
            using var json = JsonDocument.Parse(e.Properties);
            properties = Values.FromJson(json.RootElement);
        }
        Put("properties", properties);
        if (properties is Row props && (e.Type.StartsWith("guide", StringComparison.Ordinal) || e.Type.StartsWith("poll", StringComparison.Ordinal)))
            foreach (var (field, property) in GuideFields)
                if (props.TryGetValue(property, out var value)) Put(field, value);
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

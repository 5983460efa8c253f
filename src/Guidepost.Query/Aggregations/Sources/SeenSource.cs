using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary><c>guidesSeen</c> / <c>guidesSeenEver</c>: one row per visitor and guide step with what the
/// visitor's guide events say (<c>firstSeenAt</c>, <c>lastSeenAt</c>, <c>seenCount</c>, the last advance,
/// dismissal, snooze, timeout and not-seen, and <c>lastState</c>); <c>pollsSeen</c> / <c>pollsSeenEver</c>:
/// one row per visitor and poll with the latest answer (<c>time</c>, <c>pollResponse</c> and, as Pendo's NPS
/// examples read it, <c>response</c>). The <c>…Ever</c> forms cover all history; the others keep the rows
/// whose last view (or answer) falls in the time series' range, counted over all history before its end.</summary>
public sealed class SeenSource(int index, string name, SourceParameters parameters, TimeSeries? window) : SourceStage(index)
{
    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal)
    {
        ["guideSeen"] = "active", ["guideAdvanced"] = "advanced", ["guideDismissed"] = "dismissed", ["guideSnoozed"] = "snoozed",
        ["guideTimeout"] = "timeout", ["guideNotSeen"] = "notSeen",
    };

    private static readonly Dictionary<string, string> LastFields = new(StringComparer.Ordinal)
    {
        ["guideAdvanced"] = "lastAdvancedAutoAt", ["guideDismissed"] = "lastDismissedAutoAt", ["guideSnoozed"] = "lastSnoozedAt",
        ["guideTimeout"] = "lastTimeoutAt", ["guideNotSeen"] = "lastNotSeenAt",
    };

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var polls = name.StartsWith("polls", StringComparison.Ordinal);
        var (guideId, stepId, pollId) = (parameters.String("guideId"), parameters.String("guideStepId"), parameters.String("pollId"));
        var identified = new IdentifiedVisitors(run);
        var rows = new Dictionary<(string Visitor, string? Guide, string? Item), Row>();
        foreach (var app in parameters.ApplicationIds(run))
            await foreach (var e in run.Services.Store.ScanAsync(new EventScan(run.SubscriptionId, app, 0, window?.ToMs ?? long.MaxValue), run.Cancellation))
            {
                if (polls ? e.Type != "pollResponse" : !States.ContainsKey(e.Type)) continue;
                var row = SingleEventsSource.Row(e, await identified.OfAsync(e.VisitorId));
                var guide = Values.Get(row, "guideId") as string;
                var item = Values.Get(row, polls ? "pollId" : "guideStepId") as string;
                if ((guideId is not null && guide != guideId) || (stepId is not null && item != stepId) || (pollId is not null && item != pollId)) continue;
                var key = ((string)row["visitorId"]!, guide, item);
                if (!rows.TryGetValue(key, out var seen))
                {
                    rows[key] = seen = new Row(StringComparer.Ordinal) { ["visitorId"] = key.Item1, ["guideId"] = guide, [polls ? "pollId" : "guideStepId"] = item };
                    run.Hold(rows.Count, Index);
                }
                seen["accountId"] = row["accountId"];
                seen["appId"] = row["appId"];
                var time = (double)e.BrowserTime;
                if (polls)
                {
                    (seen["time"], seen["pollResponse"], seen["response"]) = (time, row.GetValueOrDefault("pollResponse"), row.GetValueOrDefault("pollResponse"));
                    continue;
                }
                if (e.Type == "guideSeen")
                {
                    seen.TryAdd("firstSeenAt", time);
                    seen["lastSeenAt"] = time;
                    seen["seenCount"] = (seen.GetValueOrDefault("seenCount") as double? ?? 0) + 1;
                }
                else seen[LastFields[e.Type]] = time;
                seen["lastState"] = States[e.Type];
            }
        var timeField = polls ? "time" : "lastSeenAt";
        foreach (var row in rows.Values)
            if (window is null || (Values.Get(row, timeField) is double at && at >= window.FromMs && at < window.ToMs))
                yield return row;
    }
}

using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary><c>timespan</c>: over all history, one row per application × visitor (<c>kind: "visitor"</c>) or
/// application × account (<c>kind: "account"</c>) with <c>firstTime</c> and <c>lastTime</c> (the starts of the
/// first and last minutes with any event), <c>activeDays</c> (the local midnights of the days with an event, in
/// order) and, for a visitor, <c>accountId</c>: the account of their latest minute (the greatest id when several
/// share it). Minutes are what rollups keep, so both ways of reading (rollups, or raw events with pushdown
/// off) give the same rows. The input of <c>retention</c>.</summary>
public sealed class TimespanSource(int index, SourceParameters parameters, EntityKind kind) : SourceStage(index)
{
    private const long MsPerMinute = 60_000;
    private const long MinutesPerHour = 60;

    private sealed class Span(long app, string id)
    {
        public readonly long App = app;
        public readonly string Id = id;
        public long FirstMinute = long.MaxValue, LastMinute = long.MinValue;
        public string LastAccount = "";
        public readonly SortedSet<long> Days = [];
    }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var apps = parameters.ApplicationIds(run);
        if (parameters.ExcludeList(run.ExcludeList) == "only" || apps.Count == 0) yield break; // excluded traffic is dropped at ingest
        var spans = new Dictionary<(long App, string Id), Span>();
        var days = new PeriodFinder(new TimeSeries(PeriodUnit.Day, false, 0, long.MaxValue, run.Expressions.Zone));

        // One piece of activity: an entity had events in these minutes of one UTC hour (bit i = minute i).
        void Add(long app, string? visitor, string? account, long hour, ulong minutes)
        {
            var id = kind == EntityKind.Visitor ? visitor! : account;
            if (string.IsNullOrEmpty(id) || minutes == 0) return;
            if (!spans.TryGetValue((app, id), out var span))
            {
                spans[(app, id)] = span = new Span(app, id);
                run.Hold(spans.Count, Index);
            }
            var first = hour * MinutesPerHour + System.Numerics.BitOperations.TrailingZeroCount(minutes);
            var last = hour * MinutesPerHour + 63 - System.Numerics.BitOperations.LeadingZeroCount(minutes);
            span.FirstMinute = Math.Min(span.FirstMinute, first);
            var latestAccount = account ?? "";
            if (last > span.LastMinute || (last == span.LastMinute && string.CompareOrdinal(latestAccount, span.LastAccount) > 0))
                span.LastAccount = latestAccount;
            span.LastMinute = Math.Max(span.LastMinute, last);
            // Offsets are whole quarter hours, so a quarter hour lies within one local day.
            for (var quarter = 0; quarter < 4; quarter++)
                if (((minutes >> (15 * quarter)) & 0x7FFF) != 0)
                    span.Days.Add(days.PeriodOf((hour * MinutesPerHour + 15 * quarter) * MsPerMinute));
        }

        if (run.Pushdown)
        {
            var grouping = RollupGrouping.Application | RollupGrouping.Hour | RollupGrouping.Account | (kind == EntityKind.Visitor ? RollupGrouping.Visitor : 0);
            await foreach (var total in run.Services.Store.QueryRollupsAsync(new RollupQuery(run.SubscriptionId, apps, 0, long.MaxValue / (MsPerMinute * MinutesPerHour), grouping), run.Cancellation))
                Add(total.ApplicationId, total.VisitorId, total.AccountId, total.Hour, total.Minutes);
        }
        else
        {
            var identified = new IdentifiedVisitors(run);
            foreach (var app in apps)
                await foreach (var e in run.Services.Store.ScanAsync(new EventScan(run.SubscriptionId, app, 0, long.MaxValue, EventFields.Account), run.Cancellation))
                {
                    var (hour, minute) = Math.DivRem(e.BrowserTime / MsPerMinute, MinutesPerHour);
                    Add(app, kind == EntityKind.Visitor ? await identified.OfAsync(e.VisitorId) : null, e.AccountId, hour, 1UL << (int)minute);
                }
        }

        foreach (var span in spans.Values.OrderBy(s => s.App).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var row = new Row(StringComparer.Ordinal) { ["appId"] = (double)span.App };
            if (kind == EntityKind.Visitor)
            {
                row["visitorId"] = span.Id;
                row["accountId"] = span.LastAccount.Length == 0 ? null : span.LastAccount;
            }
            else row["accountId"] = span.Id;
            row["firstTime"] = (double)(span.FirstMinute * MsPerMinute);
            row["lastTime"] = (double)(span.LastMinute * MsPerMinute);
            row["activeDays"] = span.Days.Select(d => (object?)(double)d).ToList();
            yield return row;
        }
    }
}

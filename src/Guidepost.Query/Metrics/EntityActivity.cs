using System.Numerics;
using Guidepost.Core.Events;
using Guidepost.Query.Time;
using NodaTime;

namespace Guidepost.Query.Metrics;

/// <summary>What one visitor or account did in a date range.</summary>
public sealed class Activity
{
    public long NumEvents { get; internal set; }
    public long PageViews { get; internal set; }
    public long Clicks { get; internal set; }
    public long FeatureClicks { get; internal set; }
    public long TrackEvents { get; internal set; }

    /// <summary>Minutes with at least one (non-track) event; for an account, summed over its visitors.</summary>
    public long NumMinutes { get; internal set; }

    public int DaysActive => Days.Count;

    /// <summary>Distinct visitors (meaningful for accounts).</summary>
    public int NumVisitors => Visitors.Count;

    internal HashSet<LocalDate> Days { get; } = [];
    internal HashSet<string> Visitors { get; } = new(StringComparer.Ordinal);
}

/// <summary>Per-visitor or per-account activity over a range of local days, from rollups.</summary>
public sealed class EntityActivity(IEventStore store)
{
    /// <param name="featureSignatures">Element paths of tagged features: clicks on them are feature clicks.</param>
    public async Task<Dictionary<string, Activity>> RunAsync(
        long subscriptionId, IReadOnlyList<long> applicationIds, EntityKind level, LocalDate first, LocalDate last, ReportCalendar calendar,
        IReadOnlySet<long> featureSignatures, CancellationToken cancellationToken)
    {
        var (fromHour, toHour) = calendar.Hours(first, last);
        var activity = new Dictionary<string, Activity>(StringComparer.Ordinal);
        var query = new RollupQuery(subscriptionId, applicationIds, fromHour, toHour,
            RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account | RollupGrouping.Kind | RollupGrouping.Signature);

        // Rows come ordered by hour, visitor, account: minutes are OR-ed over the rows of one visitor-hour
        // (one entity-hour) before they are counted, so pages, tabs and kinds in the same minute count once.
        (long Hour, string? Entity) current = (-1, null);
        ulong minutes = 0;
        Activity? owner = null;
        void Flush()
        {
            if (owner is not null)
                for (var q = 0; q < 4; q++)
                    if (InRange(current.Hour, q)) owner.NumMinutes += BitOperations.PopCount(minutes & (0x7FFFUL << (15 * q)));
            minutes = 0;
        }
        bool InRange(long hour, int quarter)
        {
            var day = calendar.DayOf(hour, quarter);
            return day >= first && day <= last;
        }

        await foreach (var row in store.QueryRollupsAsync(query, cancellationToken))
        {
            var entity = level == EntityKind.Visitor ? row.VisitorId! : row.AccountId;
            if (entity is null) continue;
            if (!activity.TryGetValue(entity, out var a)) activity[entity] = a = new Activity();
            var timeKey = level == EntityKind.Visitor ? entity : entity + "\u0000" + row.VisitorId;
            if (current != (row.Hour, timeKey))
            {
                Flush();
                current = (row.Hour, timeKey);
            }
            owner = a;
            var events = 0L;
            for (var q = 0; q < 4; q++)
            {
                var n = row.EventsInQuarter(q);
                if (n == 0 || !InRange(row.Hour, q)) continue;
                events += n;
                a.Days.Add(calendar.DayOf(row.Hour, q));
            }
            if (events == 0) continue;
            a.NumEvents += events;
            a.Visitors.Add(row.VisitorId!);
            switch (row.Kind)
            {
                case RollupKind.PageLoad: a.PageViews += events; break;
                case RollupKind.Click:
                    a.Clicks += events;
                    if (featureSignatures.Contains(row.SignatureId)) a.FeatureClicks += events;
                    break;
                case RollupKind.Track: a.TrackEvents += events; break;
            }
            if (row.Kind != RollupKind.Track) minutes |= row.Minutes;
        }
        Flush();
        return activity;
    }
}

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

        // The local day of each quarter of an hour (null outside the range), worked out once per hour.
        var days = new Dictionary<long, LocalDate?[]>();
        LocalDate?[] Days(long hour)
        {
            if (days.TryGetValue(hour, out var found)) return found;
            found = new LocalDate?[4];
            for (var q = 0; q < 4; q++) found[q] = calendar.DayOf(hour, q) is var day && day >= first && day <= last ? day : null;
            return days[hour] = found;
        }

        string? entityOf(RollupTotal row) => level == EntityKind.Visitor ? row.VisitorId : row.AccountId;
        (string? Id, Activity? Activity) recent = (null, null);
        Activity Of(string entity)
        {
            if (recent.Id == entity) return recent.Activity!;
            if (!activity.TryGetValue(entity, out var found)) activity[entity] = found = new Activity();
            recent = (entity, found);
            return found;
        }

        // Rows come ordered by hour, visitor, account, kind: minutes are OR-ed over the rows of one
        // visitor-hour (for accounts, one account's visitor-hour) before they are counted, so pages, tabs and
        // kinds in the same minute count once.
        (long Hour, string? Visitor, string? Account, Activity? Owner) time = (long.MinValue, null, null, null);
        ulong minutes = 0;
        void Flush()
        {
            if (time.Owner is null || minutes == 0) return;
            var quarters = Days(time.Hour);
            for (var q = 0; q < 4; q++)
                if (quarters[q] is not null) time.Owner.NumMinutes += BitOperations.PopCount(minutes & (0x7FFFUL << (15 * q)));
            minutes = 0;
        }

        var all = new RollupQuery(subscriptionId, applicationIds, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account | RollupGrouping.Kind);
        await foreach (var row in store.QueryRollupsAsync(all, cancellationToken))
        {
            if (entityOf(row) is not { } entity) continue;
            var quarters = Days(row.Hour);
            var a = Of(entity);
            var events = 0L;
            LocalDate? lastDay = null;
            for (var q = 0; q < 4; q++)
            {
                var n = row.EventsInQuarter(q);
                if (n == 0 || quarters[q] is not { } day) continue;
                events += n;
                if (day != lastDay) a.Days.Add(day);
                lastDay = day;
            }
            if (events == 0) continue;
            a.NumEvents += events;
            if (level == EntityKind.Account) a.Visitors.Add(row.VisitorId!);
            switch (row.Kind)
            {
                case RollupKind.PageLoad: a.PageViews += events; break;
                case RollupKind.Click: a.Clicks += events; break;
                case RollupKind.Track: a.TrackEvents += events; continue;
            }
            if (time.Hour != row.Hour || time.Visitor != row.VisitorId || (level == EntityKind.Account && time.Account != row.AccountId))
            {
                Flush();
                time = (row.Hour, row.VisitorId, row.AccountId, a);
            }
            minutes |= row.Minutes;
        }
        Flush();

        if (featureSignatures.Count > 0)
        {
            var clicks = new RollupQuery(subscriptionId, applicationIds, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account)
            {
                Kinds = [RollupKind.Click], SignatureIds = featureSignatures,
            };
            await foreach (var row in store.QueryRollupsAsync(clicks, cancellationToken))
                if (entityOf(row) is { } entity && activity.TryGetValue(entity, out var a))
                {
                    var quarters = Days(row.Hour);
                    for (var q = 0; q < 4; q++)
                        if (quarters[q] is not null) a.FeatureClicks += row.EventsInQuarter(q);
                }
        }
        return activity;
    }
}

using System.Numerics;
using Guidepost.Core.Events;
using Guidepost.Query.Time;
using NodaTime;

namespace Guidepost.Query.Metrics;

/// <summary>Which rollups a measure reads.</summary>
public sealed record RollupFilter(IReadOnlyCollection<RollupKind>? Kinds, IReadOnlyCollection<long>? SignatureIds = null, IReadOnlyCollection<long>? UrlIds = null)
{
    /// <summary>Everything that counts toward time in the app: every kind but track events (metrics.md).</summary>
    public static readonly IReadOnlyCollection<RollupKind> TimedKinds = [RollupKind.PageLoad, RollupKind.Click, RollupKind.Other];
}

/// <summary>What a usage series computes; a chart that shows fewer measures reads less.</summary>
[Flags]
public enum UsageMeasures
{
    Events = 1,
    Visitors = 2,
    Accounts = 4,
    Minutes = 8,
    All = Events | Visitors | Accounts | Minutes,
}

/// <summary>A usage time series: <paramref name="Counted"/> gives events, visitors and accounts;
/// <paramref name="Timed"/>, when set (and minutes are measured), the minutes spent.</summary>
public sealed record UsageRequest(
    long SubscriptionId, IReadOnlyList<long> ApplicationIds, LocalDate First, LocalDate Last, ReportCalendar Calendar, Granularity Granularity,
    RollupFilter Counted, RollupFilter? Timed, UsageMeasures Measures = UsageMeasures.All);

/// <summary>One period of a usage series. Visitors include anonymous ones, which
/// <see cref="NumAnonymousVisitors"/> counts apart; an anonymous visitor who identified later counts as
/// the identified visitor.</summary>
public sealed record UsagePoint(LocalDate Period, long NumEvents, int NumVisitors, int NumAnonymousVisitors, int NumAccounts, long NumMinutes);

/// <summary>Usage over time, from rollups, in the subscription's time zone.</summary>
public sealed class UsageSeries(IEventStore store)
{
    public async Task<IReadOnlyList<UsagePoint>> RunAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        var (fromHour, toHour) = request.Calendar.Hours(request.First, request.Last);
        var periods = new SortedDictionary<LocalDate, Accumulator>();
        for (var day = request.First; day <= request.Last; day = day.PlusDays(1))
        {
            var period = ReportCalendar.PeriodOf(day, request.Granularity);
            if (!periods.ContainsKey(period)) periods[period] = new Accumulator();
        }

        // The period each quarter of an hour counts for (null outside the range), worked out once per hour.
        var slots = new Dictionary<long, Accumulator?[]>();
        Accumulator?[] Slots(long hour)
        {
            if (slots.TryGetValue(hour, out var found)) return found;
            found = new Accumulator?[4];
            for (var q = 0; q < 4; q++)
            {
                var day = request.Calendar.DayOf(hour, q);
                found[q] = day < request.First || day > request.Last ? null : periods[ReportCalendar.PeriodOf(day, request.Granularity)];
            }
            return slots[hour] = found;
        }

        var measures = request.Measures;
        var counted = request.Counted;
        var timed = measures.HasFlag(UsageMeasures.Minutes) ? request.Timed : null;
        var (visitors, accounts) = (measures.HasFlag(UsageMeasures.Visitors), measures.HasFlag(UsageMeasures.Accounts));

        // One pass when the measures can share it: the same filter, or filters by kind only (a grouped pass
        // over their kinds, told apart per row); otherwise one query each.
        var shared = timed is null || ReferenceEquals(counted, timed) || (Plain(counted) && Plain(timed));
        var mixed = shared && timed is not null && !ReferenceEquals(counted, timed);
        var grouping = RollupGrouping.Hour | (visitors || timed is not null ? RollupGrouping.Visitor : 0) | (accounts ? RollupGrouping.Account : 0)
            | (mixed ? RollupGrouping.Kind : 0);
        var first = mixed
            ? Query(request, new RollupFilter(counted.Kinds is null || timed!.Kinds is null ? null : [.. counted.Kinds.Union(timed.Kinds)]), fromHour, toHour, grouping)
            : Query(request, counted, fromHour, toHour, grouping);

        // Minutes are OR-ed over the rows of one visitor-hour (they arrive together) before they are counted.
        (long Hour, string? Visitor) current = (long.MinValue, null);
        ulong minutes = 0;
        void Flush()
        {
            if (minutes == 0) return;
            var hourSlots = Slots(current.Hour);
            for (var q = 0; q < 4; q++)
                if (hourSlots[q] is { } period) period.Minutes += BitOperations.PopCount(minutes & (0x7FFFUL << (15 * q)));
            minutes = 0;
        }
        void Time(RollupTotal row)
        {
            if (current.Hour != row.Hour || current.Visitor != row.VisitorId)
            {
                Flush();
                current = (row.Hour, row.VisitorId);
            }
            minutes |= row.Minutes;
        }

        await foreach (var row in store.QueryRollupsAsync(first, cancellationToken))
        {
            if (!mixed || counted.Kinds is null || counted.Kinds.Contains(row.Kind))
            {
                var hourSlots = Slots(row.Hour);
                Accumulator? last = null;
                for (var q = 0; q < 4; q++)
                {
                    var events = row.EventsInQuarter(q);
                    if (events == 0 || hourSlots[q] is not { } period) continue;
                    period.Events += events;
                    if (period == last) continue;
                    last = period;
                    if (visitors) period.Visitors.Add(row.VisitorId!);
                    if (accounts && row.AccountId is not null) period.Accounts.Add(row.AccountId);
                }
            }
            if (shared && timed is not null && (!mixed || timed.Kinds is null || timed.Kinds.Contains(row.Kind))) Time(row);
        }
        if (!shared)
            await foreach (var row in store.QueryRollupsAsync(Query(request, timed!, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor), cancellationToken))
                Time(row);
        Flush();

        return [.. periods.Select(p => new UsagePoint(p.Key, p.Value.Events, p.Value.Visitors.Count,
            p.Value.Visitors.Count(v => AnonymousVisitors.Is(v)), p.Value.Accounts.Count, p.Value.Minutes))];
    }

    private static bool Plain(RollupFilter filter) => filter.SignatureIds is null && filter.UrlIds is null;

    private static RollupQuery Query(UsageRequest request, RollupFilter filter, long fromHour, long toHour, RollupGrouping grouping) =>
        new(request.SubscriptionId, request.ApplicationIds, fromHour, toHour, grouping)
        {
            Kinds = filter.Kinds,
            SignatureIds = filter.SignatureIds,
            UrlIds = filter.UrlIds,
        };

    private sealed class Accumulator
    {
        public long Events;
        public long Minutes;
        public readonly HashSet<string> Visitors = new(StringComparer.Ordinal);
        public readonly HashSet<string> Accounts = new(StringComparer.Ordinal);
    }
}

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

/// <summary>A usage time series: <paramref name="Counted"/> gives events, visitors and accounts;
/// <paramref name="Timed"/>, when set, the minutes spent.</summary>
public sealed record UsageRequest(
    long SubscriptionId, IReadOnlyList<long> ApplicationIds, LocalDate First, LocalDate Last, ReportCalendar Calendar, Granularity Granularity,
    RollupFilter Counted, RollupFilter? Timed);

/// <summary>One period of a usage series. Visitors include anonymous ones, which
/// <see cref="NumAnonymousVisitors"/> counts apart; an anonymous visitor who identified later counts as
/// the identified visitor.</summary>
public sealed record UsagePoint(LocalDate Period, long NumEvents, int NumVisitors, int NumAnonymousVisitors, int NumAccounts, long NumMinutes);

/// <summary>Usage over time, from rollups, in the subscription's time zone.</summary>
public sealed class UsageSeries(IEventStore store)
{
    public const string AnonymousPrefix = "_PENDO_T_";

    public async Task<IReadOnlyList<UsagePoint>> RunAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        var (fromHour, toHour) = request.Calendar.Hours(request.First, request.Last);
        var periods = new SortedDictionary<LocalDate, Accumulator>();
        for (var day = request.First; day <= request.Last; day = day.PlusDays(1))
        {
            var period = ReportCalendar.PeriodOf(day, request.Granularity);
            if (!periods.ContainsKey(period)) periods[period] = new Accumulator();
        }

        Accumulator? At(long hour, int quarter)
        {
            var day = request.Calendar.DayOf(hour, quarter);
            return day < request.First || day > request.Last ? null : periods[ReportCalendar.PeriodOf(day, request.Granularity)];
        }

        // One pass when the measures can share it: the same filter, or filters by kind only (a grouped pass
        // over their kinds, told apart per row); otherwise one query each.
        var (counted, timed) = (request.Counted, request.Timed);
        var shared = timed is null || ReferenceEquals(counted, timed) || (Plain(counted) && Plain(timed));
        var grouping = RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account | (shared && timed is not null && !ReferenceEquals(counted, timed) ? RollupGrouping.Kind : 0);
        var first = shared && timed is not null && !ReferenceEquals(counted, timed)
            ? Query(request, new RollupFilter(counted.Kinds is null || timed.Kinds is null ? null : [.. counted.Kinds.Union(timed.Kinds)]), fromHour, toHour, grouping)
            : Query(request, counted, fromHour, toHour, grouping);

        // Minutes are OR-ed over the rows of one visitor-hour (they arrive together) before they are counted.
        (long Hour, string? Visitor) current = (long.MinValue, null);
        ulong minutes = 0;
        void Flush()
        {
            for (var q = 0; q < 4 && minutes != 0; q++)
                if (At(current.Hour, q) is { } period) period.Minutes += BitOperations.PopCount(minutes & (0x7FFFUL << (15 * q)));
            minutes = 0;
        }
        void Time(RollupTotal row)
        {
            if (current != (row.Hour, row.VisitorId))
            {
                Flush();
                current = (row.Hour, row.VisitorId);
            }
            minutes |= row.Minutes;
        }

        await foreach (var row in store.QueryRollupsAsync(first, cancellationToken))
        {
            if (!grouping.HasFlag(RollupGrouping.Kind) || counted.Kinds is null || counted.Kinds.Contains(row.Kind))
                for (var q = 0; q < 4; q++)
                {
                    if (row.EventsInQuarter(q) == 0 || At(row.Hour, q) is not { } period) continue;
                    period.Events += row.EventsInQuarter(q);
                    period.Visitors.Add(row.VisitorId!);
                    if (row.AccountId is not null) period.Accounts.Add(row.AccountId);
                }
            if (shared && timed is not null && (timed.Kinds is null || !grouping.HasFlag(RollupGrouping.Kind) || timed.Kinds.Contains(row.Kind))) Time(row);
        }
        if (!shared)
            await foreach (var row in store.QueryRollupsAsync(Query(request, timed!, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor), cancellationToken))
                Time(row);
        Flush();

        return [.. periods.Select(p => new UsagePoint(p.Key, p.Value.Events, p.Value.Visitors.Count,
            p.Value.Visitors.Count(v => v.StartsWith(AnonymousPrefix, StringComparison.Ordinal)), p.Value.Accounts.Count, p.Value.Minutes))];
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

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

        var counted = Query(request, request.Counted, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account);
        await foreach (var row in store.QueryRollupsAsync(counted, cancellationToken))
            for (var q = 0; q < 4; q++)
            {
                if (row.EventsInQuarter(q) == 0 || At(row.Hour, q) is not { } period) continue;
                period.Events += row.EventsInQuarter(q);
                period.Visitors.Add(row.VisitorId!);
                if (row.AccountId is not null) period.Accounts.Add(row.AccountId);
            }

        if (request.Timed is { } timed)
            await foreach (var row in store.QueryRollupsAsync(Query(request, timed, fromHour, toHour, RollupGrouping.Hour | RollupGrouping.Visitor), cancellationToken))
                for (var q = 0; q < 4; q++)
                    if (At(row.Hour, q) is { } period)
                        period.Minutes += BitOperations.PopCount(row.Minutes & (0x7FFFUL << (15 * q)));

        return [.. periods.Select(p => new UsagePoint(p.Key, p.Value.Events, p.Value.Visitors.Count,
            p.Value.Visitors.Count(v => v.StartsWith(AnonymousPrefix, StringComparison.Ordinal)), p.Value.Accounts.Count, p.Value.Minutes))];
    }

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

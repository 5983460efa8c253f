using NodaTime;

namespace Guidepost.Testing.Analytics;

/// <summary>One day (or week, month) of usage as the test computes it straight from the generated events.</summary>
public sealed record ExpectedUsage(LocalDate Period, long NumEvents, int NumVisitors, int NumAnonymousVisitors, int NumAccounts, long NumMinutes);

/// <summary>Answers computed from a scenario's events alone: local days from each event's own instant,
/// visitors merged by the identify events among the events given, minutes as distinct epoch minutes.</summary>
public static class ScenarioTruth
{
    public static IReadOnlyDictionary<string, string> LinksAmong(IEnumerable<ScenarioEvent> events) =>
        events.Where(e => e.Type == "identify" && e.OldVisitorId is not null).ToDictionary(e => e.OldVisitorId!, e => e.VisitorId);

    /// <param name="periodOf">Maps a local day to the first day of its period.</param>
    public static List<ExpectedUsage> Usage(
        IReadOnlyCollection<ScenarioEvent> events, DateTimeZone zone, LocalDate first, LocalDate last, Func<LocalDate, LocalDate> periodOf,
        Func<ScenarioEvent, bool> counted, Func<ScenarioEvent, bool>? timed)
    {
        var links = LinksAmong(events);
        string Who(ScenarioEvent e) => links.TryGetValue(e.VisitorId, out var v) ? v : e.VisitorId;
        LocalDate Day(ScenarioEvent e) => Instant.FromUnixTimeMilliseconds(e.Time).InZone(zone).Date;

        var inRange = events.Where(e => Day(e) >= first && Day(e) <= last).ToList();
        var periods = new SortedSet<LocalDate>();
        for (var d = first; d <= last; d = d.PlusDays(1)) periods.Add(periodOf(d));
        return [.. periods.Select(period =>
        {
            var inPeriod = inRange.Where(e => periodOf(Day(e)) == period).ToList();
            var hits = inPeriod.Where(counted).ToList();
            var visitors = hits.Select(Who).Distinct().ToList();
            // Time counts for the visitors the period's counted events name (a usage row is a visitor who used it).
            var minutes = timed is null ? 0 : inPeriod.Where(timed).Where(e => visitors.Contains(Who(e))).Select(e => (Who(e), e.Time / 60_000)).Distinct().Count();
            return new ExpectedUsage(period, hits.Count, visitors.Count, visitors.Count(v => v.StartsWith("_PENDO_T_", StringComparison.Ordinal)),
                hits.Select(e => e.AccountId).Distinct().Count(), minutes);
        })];
    }
}

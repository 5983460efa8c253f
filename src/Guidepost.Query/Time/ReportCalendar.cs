using NodaTime;

namespace Guidepost.Query.Time;

/// <summary>How long one point of a time series is.</summary>
public enum Granularity
{
    Day,

    /// <summary>Weeks start on Sunday, as in Pendo's charts.</summary>
    Week,

    Month,
}

/// <summary>Maps rollup hours to days of a subscription's time zone. Every offset in use is a whole number
/// of quarter hours, and rollups count events per quarter hour, so a UTC hour that straddles local
/// midnight (India, Nepal, a DST change) still splits exactly between its two days.</summary>
public sealed class ReportCalendar(DateTimeZone zone)
{
    private const long MsPerHour = 3_600_000;
    private const long MsPerQuarter = 900_000;
    private readonly Dictionary<long, LocalDate[]> _days = [];

    public DateTimeZone Zone { get; } = zone;

    /// <summary>The UTC hours that hold the local days <paramref name="first"/> to <paramref name="last"/>
    /// (inclusive): a half-open range; its end hours may hold quarters of neighbouring days.</summary>
    public (long FromHour, long ToHour) Hours(LocalDate first, LocalDate last)
    {
        var from = Zone.AtStartOfDay(first).ToInstant().ToUnixTimeMilliseconds();
        var to = Zone.AtStartOfDay(last.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds();
        return (Math.DivRem(from, MsPerHour).Quotient, (to + MsPerHour - 1) / MsPerHour);
    }

    /// <summary>The local day quarter <paramref name="quarter"/> (0–3) of UTC hour <paramref name="hour"/> falls on.</summary>
    public LocalDate DayOf(long hour, int quarter)
    {
        if (!_days.TryGetValue(hour, out var days))
        {
            days = new LocalDate[4];
            for (var q = 0; q < 4; q++) days[q] = DayOfMs(hour * MsPerHour + q * MsPerQuarter);
            _days[hour] = days;
        }
        return days[quarter];
    }

    public LocalDate DayOfMs(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InZone(Zone).Date;

    /// <summary>The first day of the period <paramref name="day"/> belongs to.</summary>
    public static LocalDate PeriodOf(LocalDate day, Granularity granularity) => granularity switch
    {
        Granularity.Day => day,
        Granularity.Week => day.PlusDays(-((int)day.DayOfWeek % 7)),
        Granularity.Month => new LocalDate(day.Year, day.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(granularity)),
    };
}

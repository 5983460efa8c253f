using NodaTime;
using NodaTime.TimeZones;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Time functions. Timestamps are epoch milliseconds; days, weeks (from Sunday) and months are
/// those of the context's time zone; a local time a DST change skips maps to the later instant
/// (NodaTime's lenient resolver: 02:30 on a spring-forward day is 03:30).</summary>
internal static class DateFunctions
{
    private const double MsPerHour = 3_600_000;

    /// <summary>The calendar unit of a period name.</summary>
    private enum Unit { Second, Minute, Hour, Day, Week, Month, Quarter, Year }

    private const string PeriodNames = "daily, weekly, monthly, hourly, quarterly, dayRange, weekRange, monthRange or hourRange";

    public static IEnumerable<FunctionSpec> All =>
    [
        new("now", "now()", 0, 0, (_, context, _) => (double)context.NowMs),
        new("date", "date(\"2006-01-02T15:04:05.999\") or date(year, month, day[, hour, min, sec, nanosec])", 1, 7, Date),
        new("startOfPeriod", "startOfPeriod(period, timestamp)", 2, 2, (a, context, f) =>
            Ms(StartOfPeriod(Period(a, 0, f), Time(a, 1, f, context.Zone), context.Zone))),
        new("dateAdd", "dateAdd(timestamp, n, unit)", 3, 3, DateAdd),
        new("dateDist", "dateDist(timestamp1, timestamp2, period)", 3, 3, DateDist),
        new("formatTime", "formatTime(goLayout, timestamp)", 2, 2, (a, context, f) =>
            GoLayout.Format(f.String(a, 0), Time(a, 1, f, context.Zone))),
    ];

    private static double Ms(ZonedDateTime time) => time.ToInstant().ToUnixTimeMilliseconds();

    private static ZonedDateTime Time(ReadOnlySpan<object?> args, int index, FunctionSpec function, DateTimeZone zone)
    {
        var ms = function.Number(args, index);
        // NodaTime's range is years -9998 to 9999; anything near it is not a timestamp.
        if (!(Math.Abs(ms) < 2.5e14)) throw function.Fail($"argument {index + 1} is not a timestamp in milliseconds: {Values.ToText(ms)}");
        return Instant.FromUnixTimeMilliseconds((long)Math.Floor(ms)).InZone(zone);
    }

    private static ZonedDateTime Resolve(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, Resolvers.LenientResolver);

    private static object? Date(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        if (args.Length == 1)
        {
            var text = args[0] as string ?? throw function.TypeError(0, "a date string such as \"2006-01-02\" (or give year, month, day as numbers)", args[0]);
            return DateText.Parse(text, context.Zone, function);
        }
        if (args.Length == 2) throw function.Fail("give a date string, or at least year, month and day");
        Span<long> parts = stackalloc long[7];
        for (var i = 0; i < args.Length; i++) parts[i] = function.Integer(args, i);
        if (parts[0] is < 1 or > 9999) throw function.Fail($"year {parts[0]} is out of range (1 to 9999)");
        try
        {
            // Like Go's time.Date: parts out of their usual range carry into the next larger unit
            // (month 13 is January of the next year; day 0 the last day of the month before).
            var local = new LocalDateTime((int)parts[0], 1, 1, 0, 0)
                .PlusMonths(checked((int)(parts[1] - 1)))
                .PlusDays(checked((int)(parts[2] - 1)))
                .PlusHours(parts[3]).PlusMinutes(parts[4]).PlusSeconds(parts[5]).PlusNanoseconds(parts[6]);
            return Ms(Resolve(local, context.Zone));
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw function.Fail("the date is out of range");
        }
    }

    private static Unit Period(ReadOnlySpan<object?> args, int index, FunctionSpec function) => function.String(args, index) switch
    {
        "hourly" or "hourRange" => Unit.Hour,
        "daily" or "dayRange" => Unit.Day,
        "weekly" or "weekRange" => Unit.Week,
        "monthly" or "monthRange" => Unit.Month,
        "quarterly" => Unit.Quarter,
        var other => throw function.Fail($"unknown period \"{other}\"; expected {PeriodNames}"),
    };

    /// <summary>The local start of the period <paramref name="time"/> is in: the hour, midnight, the
    /// Sunday midnight before, the 1st of the month or quarter.</summary>
    private static ZonedDateTime StartOfPeriod(Unit unit, ZonedDateTime time, DateTimeZone zone)
    {
        if (unit == Unit.Hour)
        {
            // Back within the same offset, so a half-hour zone (India) gets its local hour.
            var intoHour = time.TimeOfDay.TickOfDay % NodaConstants.TicksPerHour;
            return time.Minus(Duration.FromTicks(intoHour));
        }
        return zone.AtStartOfDay(StartDate(unit, time.Date));
    }

    private static LocalDate StartDate(Unit unit, LocalDate date) => unit switch
    {
        Unit.Week => date.PlusDays(-((int)date.DayOfWeek % 7)),
        Unit.Month => new LocalDate(date.Year, date.Month, 1),
        Unit.Quarter => new LocalDate(date.Year, (date.Month - 1) / 3 * 3 + 1, 1),
        _ => date,
    };

    private static object? DateAdd(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var unit = function.String(args, 2) switch
        {
            "seconds" or "second" => Unit.Second,
            "minutes" or "minute" => Unit.Minute,
            "hours" or "hour" => Unit.Hour,
            "days" or "day" => Unit.Day,
            "weeks" or "week" => Unit.Week,
            "months" or "month" => Unit.Month,
            "quarters" or "quarter" => Unit.Quarter,
            "years" or "year" => Unit.Year,
            var other => throw function.Fail($"unknown unit \"{other}\"; expected hours, days, weeks, months, quarters or years"),
        };
        if (unit <= Unit.Hour)
        {
            // Hours and shorter are lengths of time, not calendar steps: 24 hours is not always a day.
            var ms = function.Number(args, 0);
            var step = unit switch { Unit.Second => 1000, Unit.Minute => 60_000, _ => MsPerHour };
            return ms + function.Number(args, 1) * step;
        }
        var time = Time(args, 0, function, context.Zone);
        var n = function.Integer(args, 1);
        try
        {
            var local = unit switch
            {
                Unit.Day => time.LocalDateTime.PlusDays(checked((int)n)),
                Unit.Week => time.LocalDateTime.PlusWeeks(checked((int)n)),
                Unit.Month => time.LocalDateTime.PlusMonths(checked((int)n)),
                Unit.Quarter => time.LocalDateTime.PlusMonths(checked((int)(n * 3))),
                _ => time.LocalDateTime.PlusYears(checked((int)n)),
            };
            // In a repeated hour (DST ending) keep the offset the timestamp had, if it is one of the two.
            return Ms(context.Zone.ResolveLocal(local, mapping =>
                mapping.Count == 2 && mapping.Last().Offset == time.Offset ? mapping.Last() : Resolvers.LenientResolver(mapping)));
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw function.Fail("the result is out of range");
        }
    }

    /// <summary>How many period boundaries lie between the two timestamps' local times: the difference of
    /// their period numbers, so 23:59 to 00:01 the next day is 1 day, and Saturday to Sunday 1 week.
    /// Negative when the second is earlier.</summary>
    private static object? DateDist(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var first = Time(args, 0, function, context.Zone);
        var second = Time(args, 1, function, context.Zone);
        var unit = Period(args, 2, function);
        switch (unit)
        {
            case Unit.Hour:
                var hours = (Ms(StartOfPeriod(unit, second, context.Zone)) - Ms(StartOfPeriod(unit, first, context.Zone))) / MsPerHour;
                return Math.Round(hours);
            case Unit.Day or Unit.Week:
                var days = NodaTime.Period.DaysBetween(StartDate(unit, first.Date), StartDate(unit, second.Date));
                return (double)(unit == Unit.Week ? days / 7 : days);
            default:
                var months = (second.Year - first.Year) * 12 + second.Month - first.Month;
                var quarters = (second.Year - first.Year) * 4 + (second.Month - 1) / 3 - (first.Month - 1) / 3;
                return (double)(unit == Unit.Month ? months : quarters);
        }
    }
}

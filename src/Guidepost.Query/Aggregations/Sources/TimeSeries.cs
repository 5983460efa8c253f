using System.Text.Json;
using Guidepost.Query.Aggregations.Expressions;
using NodaTime;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>The length of one period of a time series.</summary>
public enum PeriodUnit
{
    Hour,
    Day,

    /// <summary>Weeks start on Sunday, in the subscription's time zone.</summary>
    Week,

    Month,
}

/// <summary>A source's <c>timeSeries</c>, resolved: the half-open instant range
/// [<see cref="FromMs"/>, <see cref="ToMs"/>) made of whole periods in the subscription's time zone. An
/// aggregate period (<c>dayRange</c>, …) is one result set whose rows carry their period's start; an
/// iterative one (<c>daily</c>, …) runs the pipeline once per period.</summary>
public sealed record TimeSeries(PeriodUnit Unit, bool Iterative, long FromMs, long ToMs, DateTimeZone Zone)
{
    private const long MsPerHour = 3_600_000;

    /// <summary>The row field that carries a row's period start.</summary>
    public string BucketField => Unit switch { PeriodUnit.Hour => "hour", PeriodUnit.Day => "day", PeriodUnit.Week => "week", _ => "month" };

    public static readonly IReadOnlyList<string> Periods = ["hourRange", "dayRange", "weekRange", "monthRange", "hourly", "daily", "weekly", "monthly", "last30days"];

    /// <summary>Periods a <c>count</c> may name: over eleven years of hours, and counting them one by one stays quick.</summary>
    public const int MaxCount = 100_000;

    // Instants from the start of year 1 to the end of year 9999 (UTC), the calendar's range.
    private const long MinMs = -62_135_596_800_000, MaxMs = 253_402_300_799_999;

    /// <exception cref="AggregationException">The time series is malformed.</exception>
    public static TimeSeries Parse(JsonElement spec, int stage, ExpressionContext context)
    {
        try
        {
            return ParseRange(spec, stage, context);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            // A period starting or ending past the calendar's range (near the years 1 or 9999).
            throw AggregationException.Invalid("timeSeries reaches past the years 1 to 9999", stage);
        }
    }

    private static TimeSeries ParseRange(JsonElement spec, int stage, ExpressionContext context)
    {
        if (spec.ValueKind != JsonValueKind.Object) throw AggregationException.Invalid("timeSeries must be an object such as {\"period\":\"dayRange\",\"first\":\"now()\",\"count\":-30}", stage);
        var period = spec.TryGetProperty("period", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : null;
        if (period == "last30days") return Range(PeriodUnit.Day, false, context.NowMs, -30, context.Zone);
        var (unit, iterative) = period switch
        {
            "hourRange" => (PeriodUnit.Hour, false),
            "dayRange" => (PeriodUnit.Day, false),
            "weekRange" => (PeriodUnit.Week, false),
            "monthRange" => (PeriodUnit.Month, false),
            "hourly" => (PeriodUnit.Hour, true),
            "daily" => (PeriodUnit.Day, true),
            "weekly" => (PeriodUnit.Week, true),
            "monthly" => (PeriodUnit.Month, true),
            _ => throw AggregationException.Invalid($"timeSeries.period must be one of {string.Join(", ", Periods)}; got {Describe(p)}", stage),
        };
        if (!spec.TryGetProperty("first", out var firstSpec)) throw AggregationException.Invalid("timeSeries needs first (epoch ms or an expression such as \"now()\")", stage);
        var first = Instant(firstSpec, "timeSeries.first", stage, context);
        var hasLast = spec.TryGetProperty("last", out var lastSpec);
        var hasCount = spec.TryGetProperty("count", out var countSpec);
        if (hasLast == hasCount) throw AggregationException.Invalid("timeSeries needs exactly one of last and count", stage);
        if (hasLast)
        {
            var last = Instant(lastSpec, "timeSeries.last", stage, context);
            var from = Start(unit, first, context.Zone);
            var to = Next(unit, Start(unit, last, context.Zone), context.Zone);
            if (to <= from) throw AggregationException.Invalid("timeSeries.last is before timeSeries.first", stage);
            return new TimeSeries(unit, iterative, from, to, context.Zone);
        }
        if (countSpec.ValueKind != JsonValueKind.Number || !countSpec.TryGetInt32(out var count) || count == 0)
            throw AggregationException.Invalid($"timeSeries.count must be a non-zero whole number of periods; got {countSpec.GetRawText()}", stage);
        if (Math.Abs((long)count) > MaxCount)
            throw AggregationException.Invalid($"timeSeries.count may name at most {MaxCount:N0} periods; got {count:N0} (give first and last for a longer range)", stage);
        return Range(unit, iterative, first, count, context.Zone);
    }

    /// <summary><paramref name="count"/> periods from the one containing <paramref name="first"/>, or, when
    /// negative, the |count| periods before it (so <c>now()</c>, -30 is the thirty days ending yesterday).</summary>
    private static TimeSeries Range(PeriodUnit unit, bool iterative, long first, int count, DateTimeZone zone)
    {
        var start = Start(unit, first, zone);
        var (from, to) = (start, start);
        if (count > 0)
            for (var i = 0; i < count; i++) to = Next(unit, to, zone);
        else
            for (var i = 0; i < -count; i++) from = Previous(unit, from, zone);
        return new TimeSeries(unit, iterative, from, to, zone);
    }

    /// <summary>Each period of the range on its own (for iterative periods).</summary>
    public IEnumerable<TimeSeries> Split()
    {
        for (var start = FromMs; start < ToMs; start = Next(Unit, start, Zone))
            yield return this with { Iterative = false, FromMs = start, ToMs = Next(Unit, start, Zone) };
    }

    /// <summary>The start of the period <paramref name="epochMs"/> falls in.</summary>
    public long PeriodOf(long epochMs) => Start(Unit, epochMs, Zone);

    public static long Start(PeriodUnit unit, long epochMs, DateTimeZone zone)
    {
        var instant = NodaTime.Instant.FromUnixTimeMilliseconds(epochMs);
        if (unit == PeriodUnit.Hour)
        {
            // Local hours begin where the local clock shows :00; offsets are whole quarter hours, so this
            // also holds across DST changes and in India or Nepal.
            var offset = (long)zone.GetUtcOffset(instant).Milliseconds;
            return epochMs - Mod(epochMs + offset, MsPerHour);
        }
        var date = instant.InZone(zone).Date;
        date = unit switch
        {
            PeriodUnit.Week => date.PlusDays(-((int)date.DayOfWeek % 7)),
            PeriodUnit.Month => new LocalDate(date.Year, date.Month, 1),
            _ => date,
        };
        return zone.AtStartOfDay(date).ToInstant().ToUnixTimeMilliseconds();
    }

    public static long Next(PeriodUnit unit, long periodStart, DateTimeZone zone) => unit switch
    {
        PeriodUnit.Hour => Start(unit, periodStart + MsPerHour, zone) is var next && next > periodStart ? next : periodStart + MsPerHour,
        _ => zone.AtStartOfDay(Date(periodStart, zone).Plus(unit == PeriodUnit.Day ? Period.FromDays(1) : unit == PeriodUnit.Week ? Period.FromWeeks(1) : Period.FromMonths(1))).ToInstant().ToUnixTimeMilliseconds(),
    };

    private static long Previous(PeriodUnit unit, long periodStart, DateTimeZone zone) => unit switch
    {
        PeriodUnit.Hour => Start(unit, periodStart - 1, zone),
        _ => zone.AtStartOfDay(Date(periodStart, zone).Minus(unit == PeriodUnit.Day ? Period.FromDays(1) : unit == PeriodUnit.Week ? Period.FromWeeks(1) : Period.FromMonths(1))).ToInstant().ToUnixTimeMilliseconds(),
    };

    private static LocalDate Date(long epochMs, DateTimeZone zone) => NodaTime.Instant.FromUnixTimeMilliseconds(epochMs).InZone(zone).Date;

    private static long Mod(long a, long b) => ((a % b) + b) % b;

    /// <summary>An instant given as epoch ms, a numeric string or an expression (<c>now()</c>, <c>date(2023, 9, 1)</c>, …).</summary>
    public static long Instant(JsonElement value, string name, int stage, ExpressionContext context)
    {
        long InRange(double ms) => ms is >= MinMs and <= MaxMs
            ? (long)ms
            : throw AggregationException.Invalid($"{name} {value.GetRawText()} is {ms:R} ms, outside the years 1 to 9999", stage);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)) return InRange(number);
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (long.TryParse(text, out var ms)) return InRange(ms);
            try
            {
                if (Expression.Parse(text).Evaluate(new Row(), context) is double result) return InRange(result);
            }
            catch (ExpressionException e)
            {
                throw AggregationException.Invalid($"{name} '{text}' is not a valid expression: {e.Message}", stage);
            }
        }
        throw AggregationException.Invalid($"{name} must be epoch milliseconds or an expression giving them (such as \"now()\" or \"date(2023, 9, 1)\"); got {value.GetRawText()}", stage);
    }

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
}

/// <summary>The period of instants that come mostly in order: each period's bounds are worked out once, as
/// the time zone's rules make that the costly part.</summary>
public sealed class PeriodFinder(TimeSeries series)
{
    private long _start = long.MaxValue, _end = long.MinValue;

    public long PeriodOf(long epochMs)
    {
        if (epochMs < _start || epochMs >= _end)
        {
            _start = series.PeriodOf(epochMs);
            _end = TimeSeries.Next(series.Unit, _start, series.Zone);
        }
        return _start;
    }
}

using NodaTime;
using NodaTime.TimeZones;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>The date strings <c>date("…")</c> takes: a prefix of <c>2006-01-02T15:04:05.999999999</c>
/// (year; year-month; date; date and hour:minute; with seconds; with a fraction of 1 to 9 digits), read
/// in the context's zone. Also accepted: a space for the T, and after a time a <c>Z</c> or
/// <c>±hh:mm</c> offset, which then wins over the zone.</summary>
internal static class DateText
{
    private const string Formats = "\"2006\", \"2006-01\", \"2006-01-02\", \"2006-01-02T15:04\", \"2006-01-02T15:04:05\" or \"2006-01-02T15:04:05.999\"";

    public static double Parse(string text, DateTimeZone zone, FunctionSpec function)
    {
        if (!TryParse(text, out var local, out var offset)) throw function.Fail($"cannot read \"{text}\" as a date; expected {Formats}");
        var instant = offset is { } fixedOffset
            ? local.InZoneStrictly(DateTimeZone.ForOffset(fixedOffset)).ToInstant()
            : zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant();
        return instant.ToUnixTimeMilliseconds();
    }

    private static bool TryParse(string text, out LocalDateTime local, out Offset? offset)
    {
        local = default;
        offset = null;
        var s = text.AsSpan().Trim();
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
        var at = 0;
        if (!Digits(s, ref at, 4, out var year)) return false;
        if (At(s, at, '-'))
        {
            at++;
            if (!Digits(s, ref at, 2, out month)) return false;
            if (At(s, at, '-'))
            {
                at++;
                if (!Digits(s, ref at, 2, out day)) return false;
                if (At(s, at, 'T') || At(s, at, ' '))
                {
                    at++;
                    if (!Digits(s, ref at, 2, out hour) || !At(s, at++, ':') || !Digits(s, ref at, 2, out minute)) return false;
                    if (At(s, at, ':'))
                    {
                        at++;
                        if (!Digits(s, ref at, 2, out second)) return false;
                        if ((At(s, at, '.') || At(s, at, ',')) && !TryFraction(s, ref at, out nanos)) return false;
                    }
                    if (at < s.Length && !TryOffset(s[at..], out offset)) return false;
                    at = s.Length;
                }
            }
        }
        if (at != s.Length || year < 1 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59) return false;
        if (day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month)) return false;
        local = new LocalDateTime(year, month, day, hour, minute, second).PlusNanoseconds(nanos);
        return true;
    }

    private static bool At(ReadOnlySpan<char> s, int at, char c) => at < s.Length && s[at] == c;

    private static bool Digits(ReadOnlySpan<char> s, ref int at, int count, out int value)
    {
        value = 0;
        if (at + count > s.Length) return false;
        for (var i = 0; i < count; i++)
        {
            var c = s[at + i];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        at += count;
        return true;
    }

    /// <summary>A '.' or ',' and 1 to 9 digits, as nanoseconds.</summary>
    private static bool TryFraction(ReadOnlySpan<char> s, ref int at, out int nanos)
    {
        nanos = 0;
        var start = ++at;
        while (at < s.Length && char.IsAsciiDigit(s[at]) && at - start < 9) nanos = nanos * 10 + (s[at++] - '0');
        if (at == start || (at < s.Length && char.IsAsciiDigit(s[at]))) return false;
        for (var i = at - start; i < 9; i++) nanos *= 10;
        return true;
    }

    /// <summary><c>Z</c>, <c>±hh:mm</c> or <c>±hhmm</c>.</summary>
    private static bool TryOffset(ReadOnlySpan<char> s, out Offset? offset)
    {
        offset = null;
        if (s is "Z")
        {
            offset = Offset.Zero;
            return true;
        }
        if (s.Length is not (5 or 6) || s[0] is not ('+' or '-')) return false;
        var at = 1;
        if (!Digits(s, ref at, 2, out var hours)) return false;
        if (s.Length == 6 && !At(s, at++, ':')) return false;
        if (!Digits(s, ref at, 2, out var minutes) || hours > 18 || minutes > 59) return false;
        var seconds = (hours * 3600 + minutes * 60) * (s[0] == '-' ? -1 : 1);
        offset = Offset.FromSeconds(seconds);
        return true;
    }
}

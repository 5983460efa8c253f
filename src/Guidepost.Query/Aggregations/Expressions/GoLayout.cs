using System.Globalization;
using System.Text;
using NodaTime;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Formats a time by a Go layout string (<c>formatTime("2006-01-02", ts)</c>), recognising the
/// tokens as Go's time package does: 2006 06 01 1 Jan January 02 2 _2 002 15 03 3 04 4 05 5 PM pm Mon
/// Monday MST -0700 -07:00 -07 Z0700 Z07:00 Z07 and fractions .000 / .999 (or with a comma). Anything else
/// is copied as it is.</summary>
internal static class GoLayout
{
    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] Days = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    public static string Format(string layout, ZonedDateTime time)
    {
        var output = new StringBuilder(layout.Length + 8);
        var i = 0;
        while (i < layout.Length)
        {
            var rest = layout.AsSpan(i);
            var taken = Token(rest, time, output);
            if (taken == 0)
            {
                output.Append(layout[i]);
                taken = 1;
            }
            i += taken;
        }
        return output.ToString();
    }

    /// <summary>Appends the token <paramref name="rest"/> starts with, if any, and says how many layout
    /// characters it took (0: not a token).</summary>
    private static int Token(ReadOnlySpan<char> rest, ZonedDateTime time, StringBuilder output)
    {
        var hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        switch (rest[0])
        {
            case 'J' when rest.StartsWith("January"): return Append(output, Months[time.Month - 1], 7);
            case 'J' when rest.StartsWith("Jan") && !LowerAt(rest, 3): return Append(output, Months[time.Month - 1][..3], 3);
            case 'M' when rest.StartsWith("Monday"): return Append(output, Days[(int)time.DayOfWeek % 7], 6);
            case 'M' when rest.StartsWith("Mon") && !LowerAt(rest, 3): return Append(output, Days[(int)time.DayOfWeek % 7][..3], 3);
            case 'M' when rest.StartsWith("MST"): return Append(output, time.GetZoneInterval().Name, 3);
            case '0' when rest.Length >= 2 && rest[1] is >= '1' and <= '6':
                var value = rest[1] switch
                {
                    '1' => time.Month,
                    '2' => time.Day,
                    '3' => hour12,
                    '4' => time.Minute,
                    '5' => time.Second,
                    _ => time.Year % 100,
                };
                return Append(output, value.ToString("00", CultureInfo.InvariantCulture), 2);
            case '0' when rest.StartsWith("002"): return Append(output, time.DayOfYear.ToString("000", CultureInfo.InvariantCulture), 3);
            case '1' when rest.StartsWith("15"): return Append(output, time.Hour.ToString("00", CultureInfo.InvariantCulture), 2);
            case '1': return Append(output, Number(time.Month), 1);
            case '2' when rest.StartsWith("2006"): return Append(output, time.Year.ToString("0000", CultureInfo.InvariantCulture), 4);
            case '2': return Append(output, Number(time.Day), 1);
            // "_2006" is a literal '_' before the year.
            case '_' when rest.StartsWith("_2") && !rest.StartsWith("_2006"): return Append(output, time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2), 2);
            case '_' when rest.StartsWith("__2"): return Append(output, time.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3), 3);
            case '3': return Append(output, Number(hour12), 1);
            case '4': return Append(output, Number(time.Minute), 1);
            case '5': return Append(output, Number(time.Second), 1);
            case 'P' when rest.StartsWith("PM"): return Append(output, time.Hour < 12 ? "AM" : "PM", 2);
            case 'p' when rest.StartsWith("pm"): return Append(output, time.Hour < 12 ? "am" : "pm", 2);
            case '-' or 'Z': return Zone(rest, time.Offset, output);
            case '.' or ',' when rest.Length >= 2 && rest[1] is '0' or '9': return Fraction(rest, time.NanosecondOfSecond, output);
            default: return 0;
        }
    }

    private static int Append(StringBuilder output, string text, int taken)
    {
        output.Append(text);
        return taken;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool LowerAt(ReadOnlySpan<char> rest, int at) => rest.Length > at && char.IsAsciiLetterLower(rest[at]);

    /// <summary>-070000 -07:00:00 -0700 -07:00 -07, and the Z forms that print Z for UTC.</summary>
    private static int Zone(ReadOnlySpan<char> rest, Offset offset, StringBuilder output)
    {
        string[] forms = ["070000", "07:00:00", "0700", "07:00", "07"];
        foreach (var form in forms)
        {
            if (!rest[1..].StartsWith(form)) continue;
            if (rest[0] == 'Z' && offset == Offset.Zero) return Append(output, "Z", form.Length + 1);
            var seconds = offset.Seconds;
            output.Append(seconds < 0 ? '-' : '+');
            seconds = Math.Abs(seconds);
            var colon = form.Contains(':') ? ":" : "";
            output.Append((seconds / 3600).ToString("00", CultureInfo.InvariantCulture));
            if (form.Length > 2) output.Append(colon).Append((seconds / 60 % 60).ToString("00", CultureInfo.InvariantCulture));
            if (form.Length > 5) output.Append(colon).Append((seconds % 60).ToString("00", CultureInfo.InvariantCulture));
            return form.Length + 1;
        }
        return 0;
    }

    /// <summary>.000 prints exactly that many digits; .999 as many as needed, without trailing zeros (and
    /// without the separator when the fraction is zero). A run followed by a digit is not a fraction.</summary>
    private static int Fraction(ReadOnlySpan<char> rest, int nanoseconds, StringBuilder output)
    {
        var digit = rest[1];
        var length = 1;
        while (length < rest.Length && rest[length] == digit) length++;
        if (length < rest.Length && char.IsAsciiDigit(rest[length])) return 0;
        var count = Math.Min(length - 1, 9);
        var digits = nanoseconds.ToString("000000000", CultureInfo.InvariantCulture)[..count];
        if (digit == '9') digits = digits.TrimEnd('0');
        if (digits.Length > 0) output.Append(rest[0]).Append(digits);
        return length;
    }
}

using NodaTime;
using static Guidepost.Query.Tests.Expressions.Eval;

namespace Guidepost.Query.Tests.Expressions;

/// <summary>Expected instants are written in UTC by hand (New York is UTC-5 in winter, UTC-4 from
/// 2023-03-12 02:00 to 2023-11-05 02:00 local; Kolkata is UTC+5:30).</summary>
public class DateFunctionTests
{
    [Fact]
    public void Now_is_the_context_clock() => Run("now()").ShouldBe((double)Now);

    [Fact]
    public void Date_parts_are_read_in_the_zone()
    {
        Run("date(2023, 9, 1)").ShouldBe(1693540800000d);
        Run("date(2023, 9, 1)").ShouldBe(Utc(2023, 9, 1, 4));
        Run("date(2023, 9, 5, 12, 44, 35)").ShouldBe(Utc(2023, 9, 5, 16, 44, 35));
        Run("date(2023, 1, 10, 8)").ShouldBe(Utc(2023, 1, 10, 13));
        Run("date(2023, 1, 1, 0, 0, 0, 1500000)").ShouldBe(Utc(2023, 1, 1, 5, 0, 0, 1));
        Run("date(2023, 9, 1)", zone: Kolkata).ShouldBe(Utc(2023, 8, 31, 18, 30));
    }

    [Fact]
    public void A_local_time_skipped_by_DST_maps_to_the_later_instant()
    {
        // 02:30 does not exist on 2023-03-12 in New York; it is read as 03:30 EDT.
        Run("date(2023, 3, 12, 2, 30)").ShouldBe(Utc(2023, 3, 12, 7, 30));
        Run("date(\"2023-03-12T02:30\")").ShouldBe(Utc(2023, 3, 12, 7, 30));
        // 01:30 happens twice on 2023-11-05; the first (EDT) is taken.
        Run("date(2023, 11, 5, 1, 30)").ShouldBe(Utc(2023, 11, 5, 5, 30));
    }

    [Fact]
    public void Date_parts_out_of_range_carry_over_as_in_Go()
    {
        Run("date(2023, 13, 1)").ShouldBe(Utc(2024, 1, 1, 5));
        Run("date(2023, 3, 0)").ShouldBe(Utc(2023, 2, 28, 5));
        Run("date(2023, 2, 29)").ShouldBe(Utc(2023, 3, 1, 5));
        Run("date(2023, 1, 1, 25)").ShouldBe(Utc(2023, 1, 2, 6));
    }

    [Theory]
    [InlineData("date(\"2023\")", 2023, 1, 1, 5, 0, 0, 0)]
    [InlineData("date(\"2023-07\")", 2023, 7, 1, 4, 0, 0, 0)]
    [InlineData("date(\"2023-07-04\")", 2023, 7, 4, 4, 0, 0, 0)]
    [InlineData("date(\"2023-07-04T15:04\")", 2023, 7, 4, 19, 4, 0, 0)]
    [InlineData("date(\"2023-07-04 15:04\")", 2023, 7, 4, 19, 4, 0, 0)]
    [InlineData("date(\"2023-07-04T15:04:05\")", 2023, 7, 4, 19, 4, 5, 0)]
    [InlineData("date(\"2023-07-04T15:04:05.999\")", 2023, 7, 4, 19, 4, 5, 999)]
    [InlineData("date(\"2023-07-04T15:04:05.5\")", 2023, 7, 4, 19, 4, 5, 500)]
    [InlineData("date(\"2023-07-04T15:04:05.123456789\")", 2023, 7, 4, 19, 4, 5, 123)]
    [InlineData("date(`2023-12-25`)", 2023, 12, 25, 5, 0, 0, 0)]
    [InlineData("date(\"2023-07-04T15:04:05Z\")", 2023, 7, 4, 15, 4, 5, 0)]
    [InlineData("date(\"2023-07-04T15:04+05:30\")", 2023, 7, 4, 9, 34, 0, 0)]
    public void Date_strings_are_read_in_the_zone(string text, int year, int month, int day, int hour, int minute, int second, int ms) =>
        Run(text).ShouldBe(Utc(year, month, day, hour, minute, second, ms));

    [Theory]
    [InlineData("date(\"2023-02-30\")", "cannot read \"2023-02-30\" as a date")]
    [InlineData("date(\"July 4\")", "cannot read \"July 4\" as a date")]
    [InlineData("date(\"2023-7-4\")", "cannot read \"2023-7-4\" as a date")]
    [InlineData("date(\"2023-07-04T25:00\")", "cannot read")]
    [InlineData("date(\"2023-07-04T15:04:05.\")", "cannot read")]
    [InlineData("date(2023, 1)", "give a date string, or at least year, month and day")]
    [InlineData("date(2023.5, 1, 1)", "argument 1 must be a whole number, got 2023.5")]
    [InlineData("date(2023, \"1\", 1)", "argument 2 must be a number, got string")]
    [InlineData("date(true)", "argument 1 must be a date string")]
    [InlineData("date(0, 1, 1)", "year 0 is out of range")]
    public void Bad_dates_are_errors_naming_the_function(string text, string message)
    {
        var error = Fails(text);
        error.ShouldStartWith("date(");
        error.ShouldContain(message);
    }

    [Theory]
    [InlineData("daily", 2023, 9, 5, 4, 0)]
    [InlineData("dayRange", 2023, 9, 5, 4, 0)]
    [InlineData("weekly", 2023, 9, 3, 4, 0)]
    [InlineData("weekRange", 2023, 9, 3, 4, 0)]
    [InlineData("monthly", 2023, 9, 1, 4, 0)]
    [InlineData("monthRange", 2023, 9, 1, 4, 0)]
    [InlineData("quarterly", 2023, 7, 1, 4, 0)]
    [InlineData("hourly", 2023, 9, 6, 2, 0)]
    [InlineData("hourRange", 2023, 9, 6, 2, 0)]
    public void StartOfPeriod_is_local(string period, int year, int month, int day, int hour, int minute)
    {
        // 2023-09-05 22:45 EDT, a Tuesday.
        var row = new Row { ["ts"] = Utc(2023, 9, 6, 2, 45) };
        Run($"startOfPeriod(\"{period}\", ts)", row).ShouldBe(Utc(year, month, day, hour, minute));
    }

    [Theory]
    [InlineData(2023, 9, 6, 19)]
    [InlineData(2023, 9, 3, 10)]
    [InlineData(2023, 9, 9, 23)]
    [InlineData(2023, 3, 15, 12)]
    [InlineData(2023, 11, 6, 12)]
    public void Weeks_start_on_Sunday_midnight(int year, int month, int day, int hour)
    {
        var start = (double)Run("startOfPeriod(\"weekly\", ts)", new Row { ["ts"] = Utc(year, month, day, hour) })!;
        var local = DateTimeOffset.FromUnixTimeMilliseconds((long)start).ToOffset(NewYork.GetUtcOffset(Instant.FromUnixTimeMilliseconds((long)start)).ToTimeSpan());
        local.DayOfWeek.ShouldBe(DayOfWeek.Sunday);
        local.TimeOfDay.ShouldBe(TimeSpan.Zero);
        (Utc(year, month, day, hour) - start).ShouldBeLessThan(7 * 24 * 3_600_000d);
    }

    [Fact]
    public void StartOfPeriod_across_DST_is_local_midnight() =>
        // Wednesday 2023-03-15 (EDT) belongs to the week starting Sunday 2023-03-12 00:00 EST.
        Run("startOfPeriod(\"weekly\", ts)", new Row { ["ts"] = Utc(2023, 3, 15, 12) }).ShouldBe(Utc(2023, 3, 12, 5));

    [Fact]
    public void StartOfPeriod_in_a_half_hour_zone()
    {
        // 2023-09-05 20:10 UTC is 2023-09-06 01:40 in Kolkata, a Wednesday.
        var row = new Row { ["ts"] = Utc(2023, 9, 5, 20, 10) };
        Run("startOfPeriod(\"daily\", ts)", row, Kolkata).ShouldBe(Utc(2023, 9, 5, 18, 30));
        Run("startOfPeriod(\"hourly\", ts)", row, Kolkata).ShouldBe(Utc(2023, 9, 5, 19, 30));
        Run("startOfPeriod(\"weekly\", ts)", row, Kolkata).ShouldBe(Utc(2023, 9, 2, 18, 30));
        Run("startOfPeriod(\"monthly\", ts)", row, Kolkata).ShouldBe(Utc(2023, 8, 31, 18, 30));
    }

    [Fact]
    public void StartOfPeriod_errors()
    {
        Fails("startOfPeriod(\"yearly\", now())").ShouldBe(
            "startOfPeriod(period, timestamp): unknown period \"yearly\"; expected daily, weekly, monthly, hourly, quarterly, dayRange, weekRange, monthRange or hourRange");
        Fails("startOfPeriod(now(), \"daily\")").ShouldBe("startOfPeriod(period, timestamp): argument 1 must be a string, got number");
    }

    [Fact]
    public void DateAdd_steps_by_calendar_for_days_and_longer()
    {
        // 2023-03-11 has 24 hours; 2023-03-12 (spring forward) has 23.
        Run("dateAdd(date(2023, 3, 11), 1, \"days\")").ShouldBe(Utc(2023, 3, 12, 5));
        Run("dateAdd(date(2023, 3, 12), 1, \"days\")").ShouldBe(Utc(2023, 3, 13, 4));
        Run("dateAdd(date(2023, 3, 12), 1, \"days\") - date(2023, 3, 12)").ShouldBe(23 * 3_600_000d);
        Run("dateAdd(date(2023, 3, 12), 1, \"day\") == date(2023, 3, 13)").ShouldBe(true);
        Run("dateAdd(date(2023, 3, 12), 24, \"hours\")").ShouldBe(Utc(2023, 3, 13, 5));
        Run("dateAdd(date(2023, 3, 1), 2, \"weeks\")").ShouldBe(Utc(2023, 3, 15, 4));
        Run("dateAdd(date(2023, 1, 31), 1, \"months\")").ShouldBe(Utc(2023, 2, 28, 5));
        Run("dateAdd(date(2023, 1, 31), 1, \"month\")").ShouldBe(Utc(2023, 2, 28, 5));
        Run("dateAdd(date(2023, 11, 15), 1, \"quarters\")").ShouldBe(Utc(2024, 2, 15, 5));
        Run("dateAdd(date(2024, 2, 29), 1, \"years\")").ShouldBe(Utc(2025, 2, 28, 5));
        Run("dateAdd(date(2023, 9, 5, 12, 44, 35), -1, \"hours\")").ShouldBe(Utc(2023, 9, 5, 15, 44, 35));
        // now() is 2023-11-14 17:13:20 EST; 90 local days earlier is 2023-08-16 17:13:20 EDT.
        Run("dateAdd(now(), -90, \"days\")").ShouldBe(Utc(2023, 8, 16, 21, 13, 20));
    }

    [Fact]
    public void DateAdd_errors()
    {
        Fails("dateAdd(now(), 1, \"fortnights\")").ShouldBe(
            "dateAdd(timestamp, n, unit): unknown unit \"fortnights\"; expected hours, days, weeks, months, quarters or years");
        Fails("dateAdd(now(), 1.5, \"days\")").ShouldBe("dateAdd(timestamp, n, unit): argument 2 must be a whole number, got 1.5");
        Fails("dateAdd(\"2023\", 1, \"days\")").ShouldBe("dateAdd(timestamp, n, unit): argument 1 must be a number, got string");
    }

    [Theory]
    [InlineData("date(2023, 9, 1)", "date(2023, 9, 5, 12, 44, 35)", "daily", 4)]
    [InlineData("date(2023, 9, 1, 23, 59)", "date(2023, 9, 2, 0, 1)", "daily", 1)]
    [InlineData("date(2023, 9, 5)", "date(2023, 9, 1)", "daily", -4)]
    [InlineData("date(2023, 3, 11)", "date(2023, 3, 13)", "dayRange", 2)]
    [InlineData("date(2023, 9, 2)", "date(2023, 9, 3)", "weekly", 1)]
    [InlineData("date(2023, 9, 3)", "date(2023, 9, 9, 23)", "weekly", 0)]
    [InlineData("date(2023, 9, 3)", "date(2023, 9, 24)", "weekRange", 3)]
    [InlineData("date(2023, 1, 31)", "date(2023, 3, 1)", "monthly", 2)]
    [InlineData("date(2022, 12, 31)", "date(2023, 1, 1)", "monthly", 1)]
    [InlineData("date(2023, 3, 31)", "date(2023, 4, 1)", "quarterly", 1)]
    [InlineData("date(2023, 3, 12, 1)", "date(2023, 3, 12, 4)", "hourly", 2)]
    public void DateDist_counts_period_boundaries_between_local_times(string first, string second, string period, double expected) =>
        Run($"dateDist({first}, {second}, \"{period}\")").ShouldBe(expected);

    [Theory]
    [InlineData("2006-01-02", "2023-09-05")]
    [InlineData("2006-01-02T15:04:05.000 MST", "2023-09-05T12:44:35.007 EDT")]
    [InlineData("Mon Jan _2 3:04PM 2006", "Tue Sep  5 12:44PM 2023")]
    [InlineData("Monday, January 2, 06 -07:00 Z0700", "Tuesday, September 5, 23 -04:00 -0400")]
    [InlineData("15:04:05.999", "12:44:35.007")]
    [InlineData("15:04:05.9", "12:44:35")]
    [InlineData("1/2 03:04:05 pm day 002", "9/5 12:44:35 pm day 248")]
    [InlineData("Week of Jan", "Week of Sep")]
    public void FormatTime_reads_Go_layouts(string layout, string expected)
    {
        var row = new Row { ["ts"] = Utc(2023, 9, 5, 16, 44, 35, 7) };
        Run($"formatTime(\"{layout}\", ts)", row).ShouldBe(expected);
    }

    [Fact]
    public void FormatTime_in_other_zones()
    {
        var row = new Row { ["ts"] = Utc(2023, 9, 5, 20) };
        Run("formatTime(\"2006-01-02 15:04 MST -0700\", ts)", row, Kolkata).ShouldBe("2023-09-06 01:30 IST +0530");
        Run("formatTime(\"15:04Z07:00\", ts)", row, DateTimeZone.Utc).ShouldBe("20:00Z");
        Run("formatTime(\"Jan 2 15:04 MST\", date(2023, 1, 15, 9, 30))").ShouldBe("Jan 15 09:30 EST");
    }
}

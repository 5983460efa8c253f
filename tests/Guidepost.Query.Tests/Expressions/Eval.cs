using Guidepost.Query.Aggregations.Expressions;
using NodaTime;

namespace Guidepost.Query.Tests.Expressions;

/// <summary>Runs expressions against a fixed clock in New York unless a test says otherwise.</summary>
internal static class Eval
{
    public const long Now = 1_700_000_000_000;

    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    public static readonly DateTimeZone Kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];

    public static ExpressionContext Context(DateTimeZone? zone = null) => new(Now, zone ?? NewYork)
    {
        ExpandAppIds = filter => filter == "web" ? [-323232d] : [-323232d, 5d],
    };

    public static object? Run(string text, Row? row = null, DateTimeZone? zone = null) =>
        Expression.Parse(text).Evaluate(row ?? new Row(), Context(zone));

    public static string Fails(string text, Row? row = null, DateTimeZone? zone = null) =>
        Should.Throw<ExpressionException>(() => Run(text, row, zone)).Message;

    public static string ParseFails(string text) => Should.Throw<ExpressionException>(() => Expression.Parse(text)).Message;

    /// <summary>Epoch ms of a UTC time, computed without NodaTime.</summary>
    public static double Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static List<object?> List(params object?[] items) => [.. items];
}

using System.Text.Json.Nodes;
using Guidepost.Query.Aggregations;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Time;
using NodaTime;

namespace Guidepost.Query.Metrics;

/// <summary>What a usage series computes; a chart that shows fewer measures reads less.</summary>
[Flags]
public enum UsageMeasures
{
    Events = 1,
    Visitors = 2,
    Accounts = 4,
    Minutes = 8,
    All = Events | Visitors | Accounts | Minutes,
}

/// <summary>The grouped event source a usage series reads (<c>pageEvents</c> with a <c>pageId</c>, <c>events</c>
/// with <c>types</c>, …), and whether its minutes are shown.</summary>
public sealed record UsageOf(string Source, JsonObject Parameters, bool Timed);

/// <summary>A usage time series over the local days <paramref name="First"/> to <paramref name="Last"/> in
/// <paramref name="Granularity"/> periods (weeks and months whole).</summary>
public sealed record UsageRequest(
    long SubscriptionId, LocalDate First, LocalDate Last, DateTimeZone Zone, Granularity Granularity, UsageOf Of, UsageMeasures Measures = UsageMeasures.All);

/// <summary>One period of a usage series. Visitors include anonymous ones, which
/// <see cref="NumAnonymousVisitors"/> counts apart; an anonymous visitor who identified later counts as
/// the identified visitor.</summary>
public sealed record UsagePoint(LocalDate Period, long NumEvents, int NumVisitors, int NumAnonymousVisitors, int NumAccounts, long NumMinutes);

/// <summary>Usage over time, as an Aggregations pipeline: the source's rows grouped by period, so the chart
/// shows exactly what <c>POST /api/v1/aggregation</c> answers for the same question.</summary>
public sealed class UsageSeries(AggregationEngine engine)
{
    /// <summary>The pipeline a usage series runs.</summary>
    public static JsonObject Pipeline(UsageRequest request)
    {
        var (period, bucket) = request.Granularity switch
        {
            Granularity.Week => ("weekRange", "week"),
            Granularity.Month => ("monthRange", "month"),
            _ => ("dayRange", "day"),
        };
        var measures = request.Measures;
        var fields = new JsonObject();
        if (measures.HasFlag(UsageMeasures.Events)) fields["numEvents"] = new JsonObject { ["sum"] = "numEvents" };
        if (measures.HasFlag(UsageMeasures.Visitors))
        {
            fields["numVisitors"] = new JsonObject { ["count"] = "visitorId" };
            fields["numAnonymousVisitors"] = new JsonObject { ["countIf"] = new JsonObject { ["count"] = "visitorId", ["if"] = "!identified(visitorId)" } };
        }
        if (measures.HasFlag(UsageMeasures.Accounts)) fields["numAccounts"] = new JsonObject { ["count"] = "accountId" };
        if (measures.HasFlag(UsageMeasures.Minutes) && request.Of.Timed) fields["numMinutes"] = new JsonObject { ["sum"] = "numMinutes" };
        long Midnight(LocalDate day) => request.Zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds();
        return new JsonObject
        {
            ["request"] = new JsonObject
            {
                ["name"] = "usage",
                ["pipeline"] = new JsonArray(
                    new JsonObject
                    {
                        ["source"] = new JsonObject
                        {
                            [request.Of.Source] = request.Of.Parameters.DeepClone(),
                            ["timeSeries"] = new JsonObject { ["period"] = period, ["first"] = Midnight(request.First), ["last"] = Midnight(request.Last) },
                        },
                    },
                    new JsonObject { ["group"] = new JsonObject { ["group"] = new JsonArray(bucket), ["fields"] = fields } }),
            },
        };
    }

    /// <exception cref="AggregationException">The source names something that does not exist.</exception>
    public async Task<IReadOnlyList<UsagePoint>> RunAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        var bucket = request.Granularity switch { Granularity.Week => "week", Granularity.Month => "month", _ => "day" };
        var found = new Dictionary<LocalDate, UsagePoint>();
        await foreach (var row in engine.RunAsync(request.SubscriptionId, Pipeline(request), cancellationToken))
        {
            var period = Instant.FromUnixTimeMilliseconds((long)(double)row[bucket]!).InZone(request.Zone).Date;
            long Number(string field) => row.TryGetValue(field, out var value) && value is double number ? (long)number : 0;
            found[period] = new UsagePoint(period, Number("numEvents"), (int)Number("numVisitors"), (int)Number("numAnonymousVisitors"),
                (int)Number("numAccounts"), Number("numMinutes"));
        }
        var points = new List<UsagePoint>();
        for (var period = ReportCalendar.PeriodOf(request.First, request.Granularity); period <= request.Last; period = Next(period, request.Granularity))
            points.Add(found.GetValueOrDefault(period) ?? new UsagePoint(period, 0, 0, 0, 0, 0));
        return points;
    }

    private static LocalDate Next(LocalDate period, Granularity granularity) => granularity switch
    {
        Granularity.Week => period.PlusWeeks(1),
        Granularity.Month => period.PlusMonths(1),
        _ => period.PlusDays(1),
    };
}

using System.Text.Json;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Aggregations.Sources;
using NodaTime;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"retention": {"timeSeries": {…}, "offset": 30, "cohortField": "cohort", "relativePeriodsField":
/// "relativePeriod", "cohortMode": "first"}}</c> over <c>timespan</c> rows: each row's cohort is the period of the
/// time series holding its start day, and its relative periods (<c>offset</c> days each, counted in local calendar
/// days from the start day) are those with an active day. <c>cohortMode</c> <c>first</c> starts at the row's first
/// active day (rows whose first day is outside the series are dropped); <c>all</c> gives a row for every period
/// with an active day, starting at the first active day in it.</summary>
public sealed class RetentionStage(int index, TimeSeries cohorts, int offsetDays, string cohortField, string periodsField, bool everyPeriod) : Stage(index)
{
    private static readonly string[] Keys = ["timeSeries", "offset", "cohortField", "relativePeriodsField", "cohortMode"];
    private const string Example = "{\"retention\":{\"timeSeries\":{\"period\":\"monthRange\",\"first\":\"date(2026,1,1)\",\"count\":6},\"offset\":30,\"cohortMode\":\"first\"}}";

    public static RetentionStage Parse(JsonElement spec, int index, ExpressionContext context)
    {
        if (spec.ValueKind != JsonValueKind.Object) throw AggregationException.Invalid($"retention takes an object such as {Example}", index);
        foreach (var property in spec.EnumerateObject())
            if (!Keys.Contains(property.Name))
                throw AggregationException.Invalid($"retention has no parameter '{property.Name}'; it takes {string.Join(", ", Keys)}", index);
        if (!spec.TryGetProperty("timeSeries", out var timeSeries)) throw AggregationException.Invalid($"retention needs a timeSeries, whose periods are the cohorts: {Example}", index);
        var series = TimeSeries.Parse(timeSeries, index, context);
        if (series.Iterative || series.Unit == PeriodUnit.Hour)
            throw AggregationException.Invalid("retention.timeSeries.period must be dayRange, weekRange or monthRange", index);
        if (!spec.TryGetProperty("offset", out var offset) || offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt32(out var days) || days < 1)
            throw AggregationException.Invalid($"retention.offset must be the length of a relative period in days, a whole number ≥ 1; got {(offset.ValueKind == JsonValueKind.Undefined ? "nothing" : offset.GetRawText())}", index);
        var mode = Text(spec, "cohortMode", "first", index);
        if (mode is not ("first" or "all")) throw AggregationException.Invalid($"retention.cohortMode must be \"first\" or \"all\"; got \"{mode}\"", index);
        return new RetentionStage(index, series, days, Text(spec, "cohortField", "cohort", index), Text(spec, "relativePeriodsField", "relativePeriods", index), mode == "all");
    }

    private static string Text(JsonElement spec, string name, string fallback, int index)
    {
        if (!spec.TryGetProperty(name, out var value)) return fallback;
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw AggregationException.Invalid($"retention.{name} must be a non-empty string; got {value.GetRawText()}", index);
    }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var zone = cohorts.Zone;
        await foreach (var row in input)
        {
            if (Values.Get(row, "activeDays") is not List<object?> { Count: > 0 } list) continue;
            var days = list.OfType<double>().Select(ms => Instant.FromUnixTimeMilliseconds((long)ms).InZone(zone).Date).Distinct().Order().ToList();
            if (days.Count == 0) continue;
            IEnumerable<(long Period, LocalDate Start)> starts = everyPeriod
                ? days.GroupBy(d => cohorts.PeriodOf(Midnight(d))).Select(g => (Period: g.Key, Start: g.First()))
                : [(Period: cohorts.PeriodOf(Midnight(days[0])), Start: days[0])];
            foreach (var (period, start) in starts)
            {
                if (period < cohorts.FromMs || period >= cohorts.ToMs) continue;
                var copy = (Row)Values.DeepCopy(row)!;
                Values.Set(copy, cohortField, (double)period);
                Values.Set(copy, periodsField, days.Where(d => d >= start).Select(d => Period.Between(start, d, PeriodUnits.Days).Days / offsetDays)
                    .Distinct().Select(k => (object?)(double)k).ToList());
                yield return copy;
            }
        }

        long Midnight(LocalDate day) => zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Query.Aggregations.Execution;
using Row = System.Collections.Generic.Dictionary<string, object?>;

namespace Guidepost.Guides.Analytics;

/// <summary>One step's numbers over a range. Visitors count distinct visitors (anonymous ones apart).</summary>
/// <param name="MedianSeconds">The median time visitors spent on the step before advancing or dismissing it (the
/// agent's <c>duration</c>), or null when nobody acted on it.</param>
public sealed record GuideStepMetrics(
    string StepId, long Views, long Visitors, long AdvancedVisitors, long DismissedVisitors, long SnoozedVisitors, long Clicks, double? MedianSeconds);

/// <summary>A guide's numbers over a range: who saw it, who completed it (advanced its last step), who dismissed it,
/// and the time visitors spent on it (the sum of their steps' durations), per step too.</summary>
public sealed record GuideSummary(
    string GuideId, long Views, long Visitors, long CompletedVisitors, long DismissedVisitors, double? MedianSecondsPerVisitor,
    IReadOnlyList<GuideStepMetrics> Steps);

/// <summary>Guide metrics as Aggregations pipelines over <c>guideEvents</c>, so they count exactly what the API counts.</summary>
public sealed class GuideMetrics(AggregationEngine engine)
{
    /// <param name="stepIds">The guide's steps in order; the last one's advances are completions.</param>
    public async Task<GuideSummary> SummaryAsync(
        long subscriptionId, long applicationId, string guideId, IReadOnlyList<string> stepIds, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var source = GuideEvents(applicationId, guideId, fromMs, toMs);
        var perStep = new Dictionary<(string Step, string Type), Row>();
        await foreach (var row in RunAsync(subscriptionId, source,
        [
            Stage("group", new JsonObject
            {
                ["group"] = new JsonArray("guideStepId", "type"),
                ["fields"] = new JsonObject
                {
                    ["events"] = new JsonObject { ["count"] = null },
                    ["visitors"] = new JsonObject { ["count"] = "visitorId" },
                },
            }),
        ], cancellationToken))
            if (row["guideStepId"] is string step && row["type"] is string type) perStep[(step, type)] = row;

        var medians = new Dictionary<string, double>();
        await foreach (var row in RunAsync(subscriptionId, source,
        [
            Stage("filter", ActedWithDuration),
            Stage("group", new JsonObject { ["group"] = new JsonArray("guideStepId"), ["fields"] = new JsonObject { ["median"] = new JsonObject { ["median"] = "properties.duration" } } }),
        ], cancellationToken))
            if (row["guideStepId"] is string step && row["median"] is double median) medians[step] = median / 1000;

        long Count(string step, string type, string field) => perStep.TryGetValue((step, type), out var row) && row[field] is double n ? (long)n : 0;
        double? Median(string step) => medians.TryGetValue(step, out var median) ? median : null;

        var steps = stepIds.Select(step => new GuideStepMetrics(step, Count(step, "guideSeen", "events"), Count(step, "guideSeen", "visitors"),
            Count(step, "guideAdvanced", "visitors"), Count(step, "guideDismissed", "visitors"), Count(step, "guideSnoozed", "visitors"),
            Count(step, "guideActivity", "events"), Median(step))).ToList();

        var visitors = await CountVisitorsAsync(subscriptionId, source, "type == \"guideSeen\"", cancellationToken);
        var completed = stepIds.Count == 0 ? 0
            : await CountVisitorsAsync(subscriptionId, source, $"type == \"guideAdvanced\" && guideStepId == {JsonSerializer.Serialize(stepIds[^1])}", cancellationToken);
        var dismissed = await CountVisitorsAsync(subscriptionId, source, "type == \"guideDismissed\"", cancellationToken);
        double? medianPerVisitor = null;
        await foreach (var row in RunAsync(subscriptionId, source,
        [
            Stage("filter", ActedWithDuration),
            Stage("group", new JsonObject { ["group"] = new JsonArray("visitorId"), ["fields"] = new JsonObject { ["total"] = new JsonObject { ["sum"] = "properties.duration" } } }),
            Stage("group", new JsonObject { ["group"] = new JsonArray(), ["fields"] = new JsonObject { ["median"] = new JsonObject { ["median"] = "total" } } }),
        ], cancellationToken))
            medianPerVisitor = row["median"] is double median ? median / 1000 : null;
        return new GuideSummary(guideId, steps.Sum(s => s.Views), visitors, completed, dismissed, medianPerVisitor, steps);
    }

    private const string ActedWithDuration = "(type == \"guideAdvanced\" || type == \"guideDismissed\") && !isNull(properties.duration)";

    private async Task<long> CountVisitorsAsync(long subscriptionId, JsonObject source, string filter, CancellationToken cancellationToken)
    {
        await foreach (var row in RunAsync(subscriptionId, source,
        [
            Stage("filter", filter),
            Stage("group", new JsonObject { ["group"] = new JsonArray(), ["fields"] = new JsonObject { ["visitors"] = new JsonObject { ["count"] = "visitorId" } } }),
        ], cancellationToken))
            return row["visitors"] is double n ? (long)n : 0;
        return 0;
    }

    private static JsonObject GuideEvents(long applicationId, string guideId, long fromMs, long toMs) => new()
    {
        ["guideEvents"] = new JsonObject { ["appId"] = applicationId, ["guideId"] = guideId },
        ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = fromMs, ["last"] = toMs - 1 },
    };

    private static JsonObject Stage(string name, JsonNode? value) => new() { [name] = value };

    private async IAsyncEnumerable<Row> RunAsync(
        long subscriptionId, JsonObject source, JsonNode[] stages, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["request"] = new JsonObject { ["name"] = "guide metrics", ["pipeline"] = new JsonArray([new JsonObject { ["source"] = source.DeepClone() }, .. stages]) },
        };
        var prepared = await engine.PrepareAsync(subscriptionId, JsonSerializer.SerializeToElement(request), cancellationToken);
        var pipeline = prepared.Pipelines[0];
        await foreach (var row in engine.RunAsync(pipeline, pipeline.Runs[0].Pipeline, cancellationToken)) yield return row;
    }
}

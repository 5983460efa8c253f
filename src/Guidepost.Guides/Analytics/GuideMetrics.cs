using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Query.Aggregations;
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

/// <summary>One poll's answers over a range: every response sent, the visitors who answered, and how many visitors
/// gave each answer as their latest.</summary>
public sealed record PollResults(string PollId, string StepId, string Type, long Responses, long Respondents, IReadOnlyList<PollAnswer> Answers);

public sealed record PollAnswer(string Response, long Visitors);

/// <summary>Net Promoter Score from 0–10 answers: promoters answer 9–10, passives 7–8, detractors 0–6; the score is
/// the share of promoters less the share of detractors, in points (−100 to 100).</summary>
public sealed record NpsScore(long? PeriodStart, long Promoters, long Passives, long Detractors)
{
    public long Responses => Promoters + Passives + Detractors;
    public double? Score => Responses == 0 ? null : Math.Round(100.0 * (Promoters - Detractors) / Responses, 1);
}

/// <summary>A visitor's acceptance of a policy version: the first time they accepted it.</summary>
public sealed record PolicyAcceptance(string VisitorId, string? AccountId, string Version, long AcceptedAt);

/// <summary>Guide metrics as Aggregations pipelines over <c>guideEvents</c> and <c>pollEvents</c>, so they count exactly what the API counts.</summary>
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

    /// <summary>Each poll's responses in the range; a visitor who answered several times counts with their latest answer.</summary>
    public async Task<IReadOnlyList<PollResults>> PollsAsync(
        long subscriptionId, long applicationId, string guideId, IReadOnlyList<GuidePoll> polls, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var results = new List<PollResults>();
        foreach (var poll in polls)
        {
            var pollFilter = $"pollId == {JsonSerializer.Serialize(poll.Id)} && !isNull(pollResponse)";
            long responses = 0, respondents = 0;
            await foreach (var row in RunAsync(subscriptionId, PollEvents(applicationId, guideId, fromMs, toMs),
            [
                Stage("filter", pollFilter),
                Stage("group", new JsonObject
                {
                    ["group"] = new JsonArray(),
                    ["fields"] = new JsonObject { ["responses"] = new JsonObject { ["count"] = null }, ["visitors"] = new JsonObject { ["count"] = "visitorId" } },
                }),
            ], cancellationToken))
                (responses, respondents) = ((long)(double)row["responses"]!, (long)(double)row["visitors"]!);
            var answers = new List<PollAnswer>();
            await foreach (var row in RunAsync(subscriptionId, new JsonObject
            {
                ["pollsSeen"] = new JsonObject { ["appId"] = applicationId, ["guideId"] = guideId, ["pollId"] = poll.Id },
                ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = fromMs, ["last"] = toMs - 1 },
            },
            [
                Stage("filter", "!isNull(pollResponse)"),
                Stage("group", new JsonObject { ["group"] = new JsonArray("pollResponse"), ["fields"] = new JsonObject { ["visitors"] = new JsonObject { ["count"] = "visitorId" } } }),
                Stage("sort", new JsonArray("-visitors", "pollResponse")),
            ], cancellationToken))
                answers.Add(new PollAnswer(Values.ToText(row["pollResponse"]), (long)(double)row["visitors"]!));
            results.Add(new PollResults(poll.Id, poll.StepId, poll.Type, responses, respondents, answers));
        }
        return results;
    }

    /// <summary>The score over the whole range and per period (<c>daily</c>, <c>weekly</c> or <c>monthly</c>, in the
    /// subscription's time zone), from every 0–10 answer sent to the poll.</summary>
    public async Task<(NpsScore Total, IReadOnlyList<NpsScore> Periods)> NpsAsync(
        long subscriptionId, long applicationId, string guideId, string pollId, string period, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var periods = new List<NpsScore>();
        await foreach (var row in RunAsync(subscriptionId, PollEvents(applicationId, guideId, fromMs, toMs),
        [
            Stage("filter", $"pollId == {JsonSerializer.Serialize(pollId)} && !isNull(pollResponse)"),
            Stage("eval", new JsonObject { ["period"] = $"startOfPeriod({JsonSerializer.Serialize(period)}, browserTime)" }),
            Stage("group", new JsonObject
            {
                ["group"] = new JsonArray("period"),
                ["fields"] = new JsonObject
                {
                    ["promoters"] = new JsonObject { ["countIf"] = new JsonObject { ["count"] = null, ["if"] = "pollResponse >= 9" } },
                    ["passives"] = new JsonObject { ["countIf"] = new JsonObject { ["count"] = null, ["if"] = "pollResponse >= 7 && pollResponse < 9" } },
                    ["detractors"] = new JsonObject { ["countIf"] = new JsonObject { ["count"] = null, ["if"] = "pollResponse < 7" } },
                },
            }),
            Stage("sort", new JsonArray("period")),
        ], cancellationToken))
            periods.Add(new NpsScore((long)(double)row["period"]!, Long(row["promoters"]), Long(row["passives"]), Long(row["detractors"])));
        var total = new NpsScore(null, periods.Sum(p => p.Promoters), periods.Sum(p => p.Passives), periods.Sum(p => p.Detractors));
        return (total, periods);
    }

    /// <summary>Who accepted which version of the policy and when (all history: an acceptance does not expire).</summary>
    public async Task<IReadOnlyList<PolicyAcceptance>> AcceptancesAsync(
        long subscriptionId, long applicationId, string guideId, string pollId, CancellationToken cancellationToken)
    {
        var acceptances = new List<PolicyAcceptance>();
        await foreach (var row in RunAsync(subscriptionId, new JsonObject
        {
            ["pollEvents"] = new JsonObject { ["appId"] = applicationId, ["guideId"] = guideId },
            ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = 0, ["last"] = "now()" },
        },
        [
            Stage("filter", $"pollId == {JsonSerializer.Serialize(pollId)} && !isNull(pollResponse)"),
            Stage("eval", new JsonObject { ["version"] = "pollResponse" }),
            Stage("group", new JsonObject
            {
                ["group"] = new JsonArray("visitorId", "version"),
                ["fields"] = new JsonObject { ["acceptedAt"] = new JsonObject { ["min"] = "browserTime" }, ["accountId"] = new JsonObject { ["first"] = "accountId" } },
            }),
            Stage("sort", new JsonArray("acceptedAt", "visitorId")),
        ], cancellationToken))
            acceptances.Add(new PolicyAcceptance((string)row["visitorId"]!, row["accountId"] as string, Values.ToText(row["version"]), (long)(double)row["acceptedAt"]!));
        return acceptances;
    }

    private static long Long(object? value) => value is double n ? (long)n : 0;

    private static JsonObject PollEvents(long applicationId, string guideId, long fromMs, long toMs) => new()
    {
        ["pollEvents"] = new JsonObject { ["appId"] = applicationId, ["guideId"] = guideId },
        ["timeSeries"] = new JsonObject { ["period"] = "dayRange", ["first"] = fromMs, ["last"] = toMs - 1 },
    };

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

    private IAsyncEnumerable<Row> RunAsync(long subscriptionId, JsonObject source, JsonNode[] stages, CancellationToken cancellationToken) =>
        engine.RunAsync(subscriptionId, new JsonObject
        {
            ["request"] = new JsonObject { ["name"] = "guide metrics", ["pipeline"] = new JsonArray([new JsonObject { ["source"] = source.DeepClone() }, .. stages]) },
        }, cancellationToken);
}

/// <summary>A poll of a guide: its id, the step that asks it, and its type (<c>NPSRating</c>, <c>PolicyAcceptance</c>, ...).</summary>
public sealed record GuidePoll(string Id, string StepId, string Type, bool NumericResponses);

/// <summary>Finds a guide's polls by rendering its steps.</summary>
public static class GuidePolls
{
    public static IReadOnlyList<GuidePoll> Of(string guideId, Authoring.GuideDefinition guide, Authoring.GuideAssetSet assets) =>
        Delivery.StepContentSource.Polls(guideId, guide, assets.ThemeOf(guide), assets.Layouts);
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities;
using Guidepost.Core.Time;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Aggregations.Pipeline;
using Guidepost.Query.Aggregations.Requests;
using Guidepost.Query.Aggregations.Sources;

namespace Guidepost.Query.Aggregations.Execution;

/// <summary>Runs Aggregations requests for one subscription: parses the whole request first (so a bad
/// stage fails before any work), then streams each pipeline's rows within the configured limits.</summary>
public sealed class AggregationEngine(AggregationServices services, AggregationLimits limits, TimeProvider time)
{
    private static readonly Dictionary<string, string> IterativeRanges = new(StringComparer.Ordinal)
    {
        ["hourly"] = "hourRange", ["daily"] = "dayRange", ["weekly"] = "weekRange", ["monthly"] = "monthRange",
    };

    /// <exception cref="AggregationException">The request is invalid.</exception>
    public async Task<PreparedAggregation> PrepareAsync(long subscriptionId, JsonElement body, CancellationToken cancellationToken, bool pushdown = true)
    {
        var request = AggregationRequest.Parse(body);
        var subscription = await services.Snapshots.GetAsync(subscriptionId, services.Subscriptions, cancellationToken)
            ?? throw new AggregationException(404, $"No subscription {subscriptionId}.");
        var apps = subscription.Applications;
        var context = new ExpressionContext(time.GetUtcNow().ToUnixTimeMilliseconds(), TimeZones.Get(subscription.TimeZone))
        {
            ExpandAppIds = filter => ExpandAppIds(apps, filter),
        };
        var parser = new PipelineParser(context);
        var prepared = new List<PreparedPipeline>();
        foreach (var (pipelineRequest, i) in request.Requests.Select((r, i) => (r, i)))
        {
            var run = new PipelineRun
            {
                SubscriptionId = subscriptionId, Expressions = context, Limits = limits, Services = services,
                ApplicationIds = [.. apps.Select(a => a.Id)], Pushdown = pushdown, ExcludeList = pipelineRequest.ExcludeList,
            };
            var stages = pipelineRequest.SortedPipeline();
            var where = request.IsBatch ? $"requests[{i}].pipeline" : "pipeline";
            prepared.Add(Iterations(stages, context) is { } periods
                ? new PreparedPipeline(pipelineRequest, run, [.. periods.Select(p => (p.Start, Parse(parser, p.Stages, where)))], Iterative: true)
                : new PreparedPipeline(pipelineRequest, run, [(null, Parse(parser, stages, where))], Iterative: false));
        }
        return new PreparedAggregation(request, prepared);
    }

    private static Pipeline.Pipeline Parse(PipelineParser parser, JsonElement stages, string where)
    {
        try
        {
            return parser.Parse(stages);
        }
        catch (AggregationException e) when (where != "pipeline")
        {
            throw new AggregationException(e.Status, $"{where}: {e.Message}");
        }
    }

    /// <summary>For an iterative period (<c>daily</c>, …) on the first source: the pipeline once per period,
    /// each with that one period as an aggregate range; otherwise null.</summary>
    private List<(long Start, JsonElement Stages)>? Iterations(JsonElement stages, ExpressionContext context)
    {
        if (stages.ValueKind != JsonValueKind.Array || stages.GetArrayLength() == 0) return null;
        var first = stages[0];
        if (first.ValueKind != JsonValueKind.Object || !first.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object
            || !source.TryGetProperty("timeSeries", out var timeSeries) || timeSeries.ValueKind != JsonValueKind.Object
            || !timeSeries.TryGetProperty("period", out var period) || period.ValueKind != JsonValueKind.String
            || !IterativeRanges.TryGetValue(period.GetString()!, out var range)) return null;
        var periods = TimeSeries.Parse(timeSeries, 0, context).Split().ToList();
        if (periods.Count > limits.MaxIterations)
            throw AggregationException.Limit($"the {period.GetString()} time series has {periods.Count:N0} periods, more than the {limits.MaxIterations:N0} allowed (Aggregations:MaxIterations)", 0);
        var result = new List<(long, JsonElement)>();
        foreach (var p in periods)
        {
            var copy = JsonNode.Parse(stages.GetRawText())!.AsArray();
            copy[0]!["source"]!["timeSeries"] = new JsonObject { ["period"] = range, ["first"] = p.FromMs, ["count"] = 1 };
            result.Add((p.FromMs, JsonSerializer.SerializeToElement(copy)));
        }
        return result;
    }

    private static List<double> ExpandAppIds(IReadOnlyList<Application> apps, string filter)
    {
        var wanted = filter.Split('|');
        var known = new[] { "*", "web", "extension", "mobile", "ios", "android" };
        foreach (var w in wanted)
            if (!known.Contains(w)) throw new ExpressionException($"expandAppIds: '{w}' is not one of {string.Join(", ", known)} (join several with |)");
        return [.. apps.Where(a => wanted.Any(w => Matches(a, w))).Select(a => (double)a.Id)];
    }

    private static bool Matches(Application app, string filter)
    {
        var platform = app.Platform.ToString().ToLowerInvariant();
        return filter switch
        {
            "*" => true,
            "mobile" => platform is "ios" or "android",
            _ => platform == filter,
        };
    }

    /// <summary>The rows of a request holding one pipeline over one period: how reports run the pipelines they build.</summary>
    public async IAsyncEnumerable<Row> RunAsync(long subscriptionId, object request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(subscriptionId, JsonSerializer.SerializeToElement(request), cancellationToken);
        var pipeline = prepared.Pipelines[0];
        await foreach (var row in RunAsync(pipeline, pipeline.Runs[0].Pipeline, cancellationToken)) yield return row;
    }

    /// <summary>A pipeline's rows, stopped with a 422 past the row or time limit.</summary>
    public async IAsyncEnumerable<Row> RunAsync(PreparedPipeline prepared, Pipeline.Pipeline pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.MaxDuration);
        var run = prepared.Run.With(deadline.Token);
        await using var rows = pipeline.RunAsync(run).GetAsyncEnumerator(deadline.Token);
        var count = 0L;
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync()) yield break;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw AggregationException.Limit($"the query ran longer than {limits.MaxDuration.TotalSeconds:N0} s (Aggregations:MaxDuration); split the time range");
            }
            if (++count > limits.MaxResultRows)
                throw AggregationException.Limit($"the result has more than {limits.MaxResultRows:N0} rows (Aggregations:MaxResultRows); page with sort, filter and limit, or split the time range");
            yield return rows.Current;
        }
    }
}

/// <summary>A parsed request, ready to run.</summary>
public sealed record PreparedAggregation(AggregationRequest Request, IReadOnlyList<PreparedPipeline> Pipelines);

/// <summary>One request's pipeline: once, or once per period of an iterative time series (with its start).</summary>
public sealed record PreparedPipeline(PipelineRequest Request, PipelineRun Run, IReadOnlyList<(long? StartTime, Pipeline.Pipeline Pipeline)> Runs, bool Iterative);

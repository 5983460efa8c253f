using Guidepost.Config.Tenancy;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Reports;
using Guidepost.Query.Segments;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Query.Aggregations.Execution;

/// <summary>The bounds every query runs within; past one the query stops with a 422 that names it.</summary>
public sealed record AggregationLimits
{
    /// <summary>Rows one stage may hold at once (sort, group, join, fork, merge buffer rows).</summary>
    public int MaxRowsInMemory { get; init; } = 2_000_000;

    /// <summary>Rows one response may carry.</summary>
    public long MaxResultRows { get; init; } = 10_000_000;

    /// <summary>How long one query may run (Pendo's limit is five minutes).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Periods an iterative time series (daily, hourly, …) may run the pipeline for.</summary>
    public int MaxIterations { get; init; } = 1_000;
}

/// <summary>What the engine reads through: the event store, tags and their matching, saved segments,
/// and the object rows (pages, features, visitors, …) in the REST API's shape.</summary>
public sealed record AggregationServices(
    IEventStore Store, TagCatalog Tags, TagMatcher Matcher, AnalyticsCatalog Saved, SegmentMembers Segments,
    SubscriptionService Subscriptions, SubscriptionSnapshots Snapshots, IAggregationObjects Objects, Metrics.EngagementScore Engagement);

/// <summary>One query's run: whose data, which clock and zone, the limits and services, and whether the
/// planner may push work into the store (off only to check that both ways agree).</summary>
public sealed class PipelineRun
{
    public required long SubscriptionId { get; init; }
    public required ExpressionContext Expressions { get; init; }
    public required AggregationLimits Limits { get; init; }
    public required AggregationServices Services { get; init; }
    public required IReadOnlyList<long> ApplicationIds { get; init; }
    public bool Pushdown { get; init; } = true;

    /// <summary>The request's <c>settings.excludeList</c>, the default of every source's <c>blacklist</c>.</summary>
    public string ExcludeList { get; init; } = "apply";

    public CancellationToken Cancellation { get; init; }

    public PipelineRun With(CancellationToken cancellation) => new()
    {
        SubscriptionId = SubscriptionId, Expressions = Expressions, Limits = Limits, Services = Services, ApplicationIds = ApplicationIds,
        Pushdown = Pushdown, ExcludeList = ExcludeList, Cancellation = cancellation,
    };

    /// <summary>Counts rows a stage holds; past <see cref="AggregationLimits.MaxRowsInMemory"/> the query stops.</summary>
    public void Hold(int rows, int stage)
    {
        if (rows > Limits.MaxRowsInMemory)
            throw AggregationException.Limit(
                $"the stage holds more than {Limits.MaxRowsInMemory:N0} rows in memory (the limit Aggregations:MaxRowsInMemory); filter, group or limit earlier, or split the time range", stage);
    }
}

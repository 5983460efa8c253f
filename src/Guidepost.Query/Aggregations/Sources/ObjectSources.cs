using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary><c>visitors</c> and <c>accounts</c> (and their <c>doNotProcess…</c> forms): the current
/// snapshot, one row per id in id order, <c>{visitorId|accountId, metadata: {auto, agent, custom, …}}</c>.
/// <c>identified</c> keeps identified (true) or anonymous (false) visitors; <c>since</c> (an instant or
/// expression) keeps those updated since.</summary>
public sealed class EntitySource(int index, EntityKind kind, SourceParameters parameters, bool doNotProcess) : SourceStage(index)
{
    public EntityKind Kind { get; } = kind;
    public string IdField => Kind == EntityKind.Visitor ? "visitorId" : "accountId";

    /// <summary>Set by the planner from a leading <c>visitorId &gt; "…"</c> filter (how clients page): the store
    /// starts after this id.</summary>
    public string? After { get; set; }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var identified = Kind == EntityKind.Visitor ? parameters.Boolean("identified") : null;
        var since = parameters.Instant("since", run.Expressions);
        await foreach (var row in run.Services.Objects.ListEntitiesAsync(run.SubscriptionId, Kind, After, run.Cancellation))
        {
            var id = row[IdField] as string;
            if (identified is { } wanted && IdentifiedStage.IsIdentified(id) != wanted) continue;
            if (since is { } from && !(Values.Get(row, "metadata.auto.lastupdated") is double updated && updated >= from)) continue;
            if (doNotProcess != (Values.Get(row, "metadata.pendo.donotprocess") is true)) continue;
            yield return row;
        }
    }
}

/// <summary><c>pages</c>, <c>features</c>, <c>trackTypes</c> and <c>guides</c>: the objects as
/// <c>GET /api/v1/page</c> (…) shows them, for the requested applications or one id.</summary>
public sealed class TagSource(int index, TagKind kind, SourceParameters parameters, string idParameter) : SourceStage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var id = parameters.String(idParameter);
        IReadOnlyCollection<long>? apps = id is null ? parameters.ApplicationIds(run) : null;
        var rows = await run.Services.Objects.ListTagsAsync(run.SubscriptionId, kind, apps, run.Cancellation);
        foreach (var row in rows)
            if (id is null || Values.Get(row, "id") as string == id) yield return row;
    }
}

/// <summary><c>apps</c>: the subscription's applications, <c>{id, name, platform}</c>.</summary>
public sealed class ApplicationsSource(int index) : SourceStage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        foreach (var row in await run.Services.Objects.ListApplicationsAsync(run.SubscriptionId, run.Cancellation)) yield return row;
    }
}

/// <summary><c>const</c>: the literal rows the request gives.</summary>
public sealed class ConstSource(int index, IReadOnlyList<Row> rows) : SourceStage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await Task.CompletedTask;
        foreach (var row in rows) yield return (Row)Values.DeepCopy(row)!;
    }
}

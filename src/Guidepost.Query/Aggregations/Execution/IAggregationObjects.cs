using Guidepost.Core.Events;

namespace Guidepost.Query.Aggregations.Execution;

/// <summary>The objects of a subscription as rows in the same shape the REST API returns them
/// (<c>GET /api/v1/page</c>, <c>/visitor/{id}</c>, …), so a pipeline reads what an API client reads.</summary>
public interface IAggregationObjects
{
    /// <summary>Pages, features, track types or guides of the given applications (all when null).</summary>
    Task<IReadOnlyList<Row>> ListTagsAsync(long subscriptionId, TagKind kind, IReadOnlyCollection<long>? applicationIds, CancellationToken cancellationToken);

    /// <summary>Every visitor or account (whose id sorts after <paramref name="afterId"/>), ordered by id, as
    /// <c>{visitorId|accountId, metadata: {auto, agent, custom, …}}</c>.</summary>
    IAsyncEnumerable<Row> ListEntitiesAsync(long subscriptionId, EntityKind kind, string? afterId, CancellationToken cancellationToken);

    /// <summary>One visitor's or account's metadata groups (<c>{auto, agent, custom, …}</c>, what bulkExpand adds), or null.</summary>
    Task<Row?> FindEntityAsync(long subscriptionId, EntityKind kind, string id, CancellationToken cancellationToken);

    /// <summary>The subscription's applications as <c>{id, name, platform}</c>.</summary>
    Task<IReadOnlyList<Row>> ListApplicationsAsync(long subscriptionId, CancellationToken cancellationToken);

    /// <summary>The subscription's product areas as <c>GET /api/v1/group</c> shows them.</summary>
    Task<IReadOnlyList<Row>> ListProductAreasAsync(long subscriptionId, CancellationToken cancellationToken);
}

/// <summary>The kinds of tagged object a pipeline can list or expand.</summary>
public enum TagKind
{
    Page,
    Feature,
    TrackType,
    Guide,
}

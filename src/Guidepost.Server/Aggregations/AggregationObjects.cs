using System.Runtime.CompilerServices;
using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations;
using Row = System.Collections.Generic.Dictionary<string, object?>;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Guides.Authoring;
using Guidepost.Server.Guides;
using Guidepost.Server.Tagging;
using Guidepost.Server.Visitors;
using Guidepost.Tagging.Catalog;

namespace Guidepost.Server.Aggregations;

/// <summary>The objects a pipeline reads, built by the same views the REST endpoints answer with.</summary>
internal sealed class AggregationObjects(TagCatalog catalog, SubscriptionService subscriptions, IEventStore store, GuideCatalog guides, GuideViews guideViews)
    : IAggregationObjects
{
    public async Task<IReadOnlyList<Row>> ListTagsAsync(long subscriptionId, TagKind kind, IReadOnlyCollection<long>? applicationIds, CancellationToken cancellationToken)
    {
        var groups = (await catalog.ListProductAreasAsync(subscriptionId, cancellationToken)).ToDictionary(a => a.Id, TagViews.Of);
        GroupView? Group(Tag t) => t.ProductAreaId is { } id ? groups.GetValueOrDefault(id) : null;
        IEnumerable<object> views = kind switch
        {
            TagKind.Page => (await catalog.ListAsync<Page>(subscriptionId, applicationIds, cancellationToken)).Select(t => TagViews.Of(t, Group(t))),
            TagKind.Feature => (await catalog.ListAsync<Feature>(subscriptionId, applicationIds, cancellationToken)).Select(t => TagViews.Of(t, Group(t))),
            TagKind.TrackType => (await catalog.ListAsync<TrackType>(subscriptionId, applicationIds, cancellationToken)).Select(t => TagViews.Of(t, Group(t))),
            _ => await guideViews.OfAsync(subscriptionId,
                [.. (await guides.ListAsync(subscriptionId, null, cancellationToken)).Where(g => applicationIds is null || applicationIds.Contains(g.ApplicationId))], cancellationToken),
        };
        return [.. views.Select(ToRow)];
    }

    public async IAsyncEnumerable<Row> ListEntitiesAsync(long subscriptionId, EntityKind kind, string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var idField = kind == EntityKind.Visitor ? "visitorId" : "accountId";
        await foreach (var record in store.ListEntitiesAsync(subscriptionId, kind, afterId, cancellationToken))
            yield return new Row(2, StringComparer.Ordinal) { [idField] = record.Id, ["metadata"] = EntityViews.Metadata(record, EntityViews.Auto(record)) };
    }

    public async Task<Row?> FindEntityAsync(long subscriptionId, EntityKind kind, string id, CancellationToken cancellationToken) =>
        await store.FindEntityAsync(subscriptionId, kind, id, cancellationToken) is { } record
            ? EntityViews.Metadata(record, EntityViews.Auto(record))
            : null;

    public async Task<IReadOnlyList<Row>> ListApplicationsAsync(long subscriptionId, CancellationToken cancellationToken) =>
        [.. (await subscriptions.ListApplicationsAsync(subscriptionId, cancellationToken))
            .Select(a => new Row(StringComparer.Ordinal) { ["id"] = (double)a.Id, ["name"] = a.Name, ["platform"] = a.Platform.ToString().ToLowerInvariant() })];

    public async Task<IReadOnlyList<Row>> ListProductAreasAsync(long subscriptionId, CancellationToken cancellationToken) =>
        [.. (await catalog.ListProductAreasAsync(subscriptionId, cancellationToken)).Select(a => ToRow(TagViews.Of(a)))];

    private static Row ToRow(object view) => (Row)Values.FromJson(JsonSerializer.SerializeToElement(view, view.GetType(), JsonSerializerOptions.Web))!;
}

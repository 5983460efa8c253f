namespace Guidepost.Core.Events;

/// <summary>Everything one group commit writes, atomically: events, the metadata they set, and the
/// anonymous-to-identified links they make.</summary>
public sealed record IngestBatch(
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<MetadataUpdate> Metadata,
    IReadOnlyList<IdentityLink> Links)
{
    public static IngestBatch Of(IReadOnlyList<StoredEvent> events) => new(events, [], []);

    public bool IsEmpty => Events.Count == 0 && Metadata.Count == 0 && Links.Count == 0;

    /// <summary>Several batches as one write.</summary>
    public static IngestBatch Combine(IReadOnlyCollection<IngestBatch> batches) => batches.Count == 1
        ? batches.First()
        : new([.. batches.SelectMany(b => b.Events)], [.. batches.SelectMany(b => b.Metadata)], [.. batches.SelectMany(b => b.Links)]);
}

/// <summary>Visitors and accounts: the two kinds of entity that carry metadata.</summary>
public enum EntityKind
{
    Visitor = 0,
    Account = 1,
}

/// <summary>Sets one metadata field of a visitor or account. Applying updates is idempotent and order
/// does not matter: per field, the value with the latest <see cref="At"/> wins.</summary>
/// <param name="Group">The metadata group: <c>agent</c> (from the snippet), <c>custom</c>, ...</param>
/// <param name="JsonValue">The value as JSON text (<c>"a@b.c"</c>, <c>42</c>, <c>true</c>).</param>
public sealed record MetadataUpdate(
    long SubscriptionId, EntityKind Kind, string EntityId, string Group, string Field, string JsonValue, long At);

/// <summary>An anonymous visitor (<c>_PENDO_T_…</c>) turned out to be an identified one.</summary>
public sealed record IdentityLink(long SubscriptionId, string AnonymousVisitorId, string VisitorId, long At);

/// <summary>What an append did: events newly stored, and events already stored before (re-sends).</summary>
public readonly record struct AppendResult(int Stored, int Duplicates);

using Guidepost.Core.Guides;

namespace Guidepost.Core.Events;

/// <summary>The append-only store of raw events, with the visitors, accounts and identity links those
/// events establish. Implementations: SQLite (embedded), ClickHouse (scale-out).</summary>
public interface IEventStore
{
    /// <summary>Writes the batch atomically: when the task completes everything in it is durable; when it
    /// fails nothing is. Events already stored (same <see cref="EventIdentity"/>) are skipped, so re-sent
    /// events count once.</summary>
    Task<AppendResult> AppendAsync(IngestBatch batch, CancellationToken cancellationToken);

    /// <summary>Streams one application's events with <see cref="EventScan.FromMs"/> ≤ browser time
    /// &lt; <see cref="EventScan.ToMs"/>, ordered by browser time.</summary>
    IAsyncEnumerable<StoredEvent> ScanAsync(EventScan scan, CancellationToken cancellationToken);

    /// <summary>One application's rollups for the UTC hours of the scan's range (hours containing
    /// <see cref="EventScan.FromMs"/> up to, not including, the hour containing <see cref="EventScan.ToMs"/>).</summary>
    IAsyncEnumerable<Rollup> ScanRollupsAsync(EventScan scan, CancellationToken cancellationToken);

    /// <summary>One application's signatures of one kind with <see cref="Signature.Sequence"/> &gt; <paramref name="afterSequence"/>, in sequence order.</summary>
    IAsyncEnumerable<Signature> ListSignaturesAsync(long subscriptionId, long applicationId, RollupKind kind, long afterSequence, CancellationToken cancellationToken);

    /// <summary>Rollups filtered and grouped in the store (see <see cref="RollupQuery"/>), ordered by the grouped
    /// columns in this order: application, hour, visitor, account, kind, signature, URL. A query that groups by
    /// visitor but not by hour (often tens of thousands of rows) comes in no set order.</summary>
    IAsyncEnumerable<RollupTotal> QueryRollupsAsync(RollupQuery query, CancellationToken cancellationToken);

    /// <summary>A visitor or account as the events made it: first and last seen, and metadata.</summary>
    Task<EntityRecord?> FindEntityAsync(long subscriptionId, EntityKind kind, string id, CancellationToken cancellationToken);

    /// <summary>Every visitor or account of the subscription with its metadata (no <see cref="EntityRecord.Last"/>), ordered by id
    /// (ordinal); with <paramref name="afterId"/>, only those whose id sorts after it (how API clients page).</summary>
    IAsyncEnumerable<EntityRecord> ListEntitiesAsync(long subscriptionId, EntityKind kind, string? afterId, CancellationToken cancellationToken);

    /// <summary>The identified visitor an anonymous visitor became, or null.</summary>
    Task<string?> FindIdentifiedVisitorAsync(long subscriptionId, string anonymousVisitorId, CancellationToken cancellationToken);

    /// <summary>The state of every guide step the visitor's guide events touched, in this subscription: the
    /// visitor's own events and those of the anonymous ids that became the visitor (the latest event wins: by
    /// browser time, then an advance, dismissal or snooze over the others, then <see cref="EventIdentity"/>).</summary>
    Task<IReadOnlyList<GuideStepState>> ListGuideStatesAsync(long subscriptionId, string visitorId, CancellationToken cancellationToken);

    /// <summary>Records a message an agent reported about itself (<c>/data/errorlog</c>, <c>/data/log.gif</c>).</summary>
    Task AppendDiagnosticAsync(AgentDiagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>Reports whether the store answers, for <c>/health</c>.</summary>
    Task<StoreStatus> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>A read of one application's events over a half-open browser-time range. Only the optional
/// <paramref name="Fields"/> asked for are filled (the others are null); the identifying fields always are.</summary>
public sealed record EventScan(long SubscriptionId, long ApplicationId, long FromMs, long ToMs, EventFields Fields = EventFields.All);

/// <summary>The optional fields of a <see cref="StoredEvent"/> a scan reads. Subscription, application, type,
/// source, browser and server time, visitor and sequence are always read.</summary>
[Flags]
public enum EventFields
{
    None = 0,
    Account = 1,
    Session = 2,
    Tab = 4,
    Frame = 8,
    Url = 16,
    Title = 32,
    ElementPath = 64,
    TrackName = 128,
    Properties = 256,
    RemoteIp = 512,
    UserAgent = 1024,
    Language = 2048,
    All = 4095,
}

/// <summary>A visitor or account: when events first and last showed it (null when only metadata names
/// it), what its latest event showed, its metadata by group and field (values as JSON text), and for a
/// visitor the accounts its events named (its own and those of the anonymous ids that became it), in id order.</summary>
public sealed record EntityRecord(
    EntityKind Kind, string Id, long? FirstSeen, long? LastSeen, LastSeenWith? Last,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Metadata, IReadOnlyList<string> Accounts);

/// <summary>The context of an entity's latest event.</summary>
public sealed record LastSeenWith(
    long? ApplicationId, string? Url, string? UserAgent, string? Browser, string? BrowserVersion, string? Os, string? RemoteIp, string? Language);

/// <summary>A message an agent sent about its own trouble.</summary>
public sealed record AgentDiagnostic(
    long SubscriptionId, long ApplicationId, string Kind, string Message, string? VisitorId, string? Version, long ReceivedAt);

/// <summary>The state of one store as <c>/health</c> reports it.</summary>
public sealed record StoreStatus(bool Healthy, string Provider, string? Detail = null);

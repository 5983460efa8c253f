namespace Guidepost.Core.Events;

/// <summary>The append-only store of raw events. Implementations: SQLite (embedded), ClickHouse (scale-out).</summary>
public interface IEventStore
{
    /// <summary>Appends the batch atomically: when the task completes every event is durable; when it
    /// fails none is stored.</summary>
    Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Streams one application's events with <see cref="EventScan.FromMs"/> ≤ browser time
    /// &lt; <see cref="EventScan.ToMs"/>, ordered by browser time.</summary>
    IAsyncEnumerable<StoredEvent> ScanAsync(EventScan scan, CancellationToken cancellationToken);

    /// <summary>Reports whether the store answers, for <c>/health</c>.</summary>
    Task<StoreStatus> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>A read of one application's events over a half-open browser-time range.</summary>
public sealed record EventScan(long SubscriptionId, long ApplicationId, long FromMs, long ToMs);

/// <summary>The state of one store as <c>/health</c> reports it.</summary>
public sealed record StoreStatus(bool Healthy, string Provider, string? Detail = null);

using System.Collections.Concurrent;
using Guidepost.Config.Entities;

namespace Guidepost.Config.Tenancy;

/// <summary>What every query needs of its subscription: the time zone and the applications.</summary>
public sealed record SubscriptionSnapshot(string TimeZone, IReadOnlyList<Application> Applications);

/// <summary>Subscription snapshots kept between requests, read again after any write to the config store in
/// this process and at least every few seconds (for writes by another process sharing the database).</summary>
public sealed class SubscriptionSnapshots(ConfigChanges changes, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, (long Version, long ReadAt, SubscriptionSnapshot Snapshot)> _kept = new();

    /// <summary>The snapshot, or null when there is no such subscription.</summary>
    public async Task<SubscriptionSnapshot?> GetAsync(long subscriptionId, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var version = changes.Version;
        if (_kept.TryGetValue(subscriptionId, out var kept) && kept.Version == version && time.GetElapsedTime(kept.ReadAt) < MaxAge)
            return kept.Snapshot;
        var readAt = time.GetTimestamp();
        if (await subscriptions.FindTimeZoneAsync(subscriptionId, cancellationToken) is not { } timeZone) return null;
        var snapshot = new SubscriptionSnapshot(timeZone, await subscriptions.ListApplicationsAsync(subscriptionId, cancellationToken));
        _kept[subscriptionId] = (version, readAt, snapshot);
        return snapshot;
    }
}

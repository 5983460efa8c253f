using Guidepost.Config.Entities;
using Guidepost.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Config.Tenancy;

/// <summary>Creates, reads and edits subscriptions and their applications.</summary>
public sealed class SubscriptionService(ConfigDbContext db, TimeProvider time)
{
    public async Task<Subscription> CreateSubscriptionAsync(string name, string timeZone, string? region, CancellationToken cancellationToken)
    {
        var subscription = new Subscription
        {
            Id = Secrets.NewId(),
            Name = name,
            TimeZone = timeZone,
            Region = region,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return subscription;
    }

    /// <summary>Lists subscriptions, all of them when <paramref name="onlyIds"/> is null.</summary>
    public async Task<List<Subscription>> ListSubscriptionsAsync(IReadOnlyCollection<long>? onlyIds, CancellationToken cancellationToken)
    {
        var query = db.Subscriptions.AsNoTracking();
        if (onlyIds is not null) query = query.Where(s => onlyIds.Contains(s.Id));
        return await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    public Task<Subscription?> FindSubscriptionAsync(long id, CancellationToken cancellationToken) =>
        db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    /// <summary>The subscription's time zone, or null when there is no such subscription.</summary>
    public Task<string?> FindTimeZoneAsync(long id, CancellationToken cancellationToken) =>
        db.Subscriptions.AsNoTracking().Where(s => s.Id == id).Select(s => s.TimeZone).FirstOrDefaultAsync(cancellationToken);

    public Task<bool> SubscriptionExistsAsync(long id, CancellationToken cancellationToken) =>
        db.Subscriptions.AnyAsync(s => s.Id == id, cancellationToken);

    /// <summary>Saves edits made to entities this service returned.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    /// <summary>Creates an application with a new Track API secret, returned here only.</summary>
    public async Task<(Application Application, string TrackSecret)> CreateApplicationAsync(
        long subscriptionId, string name, Platform platform, IEnumerable<string> stagingHosts, string? apiKey, CancellationToken cancellationToken)
    {
        var trackSecret = Secrets.NewIntegrationKey();
        var application = new Application
        {
            Id = Secrets.NewId(),
            SubscriptionId = subscriptionId,
            Name = name,
            Platform = platform,
            ApiKey = apiKey ?? Secrets.NewApiKey(),
            StagingHosts = [.. stagingHosts],
            TrackSecretHash = Secrets.Hash(trackSecret),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(cancellationToken);
        return (application, trackSecret);
    }

    /// <summary>Replaces an application's Track API secret; the old one stops working at once.</summary>
    public async Task<string> RotateTrackSecretAsync(Application application, CancellationToken cancellationToken)
    {
        var trackSecret = Secrets.NewIntegrationKey();
        application.TrackSecretHash = Secrets.Hash(trackSecret);
        await db.SaveChangesAsync(cancellationToken);
        return trackSecret;
    }

    /// <summary>The application whose Track API secret this is, or null.</summary>
    public Task<Application?> FindApplicationByTrackSecretAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(secret);
        return db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.TrackSecretHash == hash, cancellationToken);
    }

    public Task<List<Application>> ListApplicationsAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.Applications.AsNoTracking()
            .Where(a => a.SubscriptionId == subscriptionId)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken);

    public Task<Application?> FindApplicationAsync(long subscriptionId, long applicationId, CancellationToken cancellationToken) =>
        db.Applications.FirstOrDefaultAsync(a => a.SubscriptionId == subscriptionId && a.Id == applicationId, cancellationToken);

    /// <summary>The application an agent's public API key names, or null; ingestion resolves keys with it.</summary>
    public Task<Application?> FindApplicationByApiKeyAsync(string apiKey, CancellationToken cancellationToken) =>
        db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.ApiKey == apiKey, cancellationToken);
}

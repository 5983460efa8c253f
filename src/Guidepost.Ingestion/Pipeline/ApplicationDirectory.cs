using System.Collections.Concurrent;
using Guidepost.Config.Tenancy;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Guidepost.Ingestion.Pipeline;

/// <summary>Finds the application behind an agent's API key, a Track API secret or an integration key,
/// without a database round trip per request: answers (including "no such key") are cached briefly.</summary>
/// <remarks>Tenancy edits made through this server take effect at once (<see cref="ForgetSubscription"/>);
/// edits made on another server node take effect within <see cref="CacheFor"/>.</remarks>
public sealed class ApplicationDirectory(IServiceScopeFactory scopes, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<long, CancellationTokenSource> _subscriptions = new();

    public Task<IngestionTarget?> FindByApiKeyAsync(string apiKey, CancellationToken cancellationToken) =>
        FindAsync("api:" + apiKey, (scope, ct) => scope.GetRequiredService<SubscriptionService>().FindApplicationByApiKeyAsync(apiKey, ct), cancellationToken);

    public Task<IngestionTarget?> FindByTrackSecretAsync(string secret, CancellationToken cancellationToken) =>
        FindAsync("track:" + Secrets.Hash(secret), (scope, ct) => scope.GetRequiredService<SubscriptionService>().FindApplicationByTrackSecretAsync(secret, ct), cancellationToken);

    /// <summary>For the Track API sent with an integration key rather than an application's secret: the
    /// application named by <paramref name="applicationId"/>, or the subscription's only application.
    /// Only read-write keys may write.</summary>
    public Task<IngestionTarget?> FindByIntegrationKeyAsync(string secret, long? applicationId, CancellationToken cancellationToken) =>
        FindAsync($"key:{Secrets.Hash(secret)}:{applicationId}", async (scope, ct) =>
        {
            var key = await scope.GetRequiredService<IntegrationKeyService>().VerifyAsync(secret, ct);
            if (key is not { Access: Core.Tenancy.KeyAccess.ReadWrite }) return null;
            var service = scope.GetRequiredService<SubscriptionService>();
            if (applicationId is { } id) return await service.FindApplicationAsync(key.SubscriptionId, id, ct);
            var applications = await service.ListApplicationsAsync(key.SubscriptionId, ct);
            return applications.Count == 1 ? applications[0] : null;
        }, cancellationToken);

    /// <summary>Drops everything cached about a subscription's applications and keys, after an edit.</summary>
    public void ForgetSubscription(long subscriptionId)
    {
        if (_subscriptions.TryRemove(subscriptionId, out var token))
        {
            token.Cancel();
            token.Dispose();
        }
    }

    private async Task<IngestionTarget?> FindAsync(
        string cacheKey, Func<IServiceProvider, CancellationToken, Task<Config.Entities.Application?>> find, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(cacheKey, out IngestionTarget? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var application = await find(scope.ServiceProvider, cancellationToken);
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor };
        if (application is null)
        {
            cache.Set<IngestionTarget?>(cacheKey, null, options);
            return null;
        }
        var target = new IngestionTarget(application);
        var token = _subscriptions.GetOrAdd(application.SubscriptionId, _ => new CancellationTokenSource());
        cache.Set(cacheKey, target, options.AddExpirationToken(new CancellationChangeToken(token.Token)));
        return target;
    }
}

using Guidepost.Config.Tenancy;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Ingestion.Pipeline;

/// <summary>Finds the application behind an agent's API key, or a Track API secret, without a database
/// round trip per request: answers (including "no such key") are cached briefly.</summary>
/// <remarks>Edits made through this server take effect at once (<see cref="Forget"/>); edits made on
/// another server node take effect within <see cref="CacheFor"/>.</remarks>
public sealed class ApplicationDirectory(IServiceScopeFactory scopes, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

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

    /// <summary>Drops what is cached about an application, after it was edited (pass the track-secret
    /// hash it had before the edit).</summary>
    public void Forget(string apiKey, string? trackSecretHash)
    {
        cache.Remove("api:" + apiKey);
        if (trackSecretHash is not null) cache.Remove("track:" + trackSecretHash);
    }

    private async Task<IngestionTarget?> FindAsync(
        string cacheKey, Func<IServiceProvider, CancellationToken, Task<Config.Entities.Application?>> find, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(cacheKey, out IngestionTarget? cached)) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var application = await find(scope.ServiceProvider, cancellationToken);
        var target = application is null ? null : new IngestionTarget(application);
        cache.Set(cacheKey, target, CacheFor);
        return target;
    }
}

using Guidepost.Config.Entities;
using Guidepost.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Config.Tenancy;

/// <summary>Issues, lists, revokes and verifies integration keys. Secrets are kept only as hashes.</summary>
public sealed class IntegrationKeyService(ConfigDbContext db, VerifiedKeys verified, TimeProvider time)
{
    /// <summary>Creates a key; <paramref name="secret"/> is generated when null. The returned secret is
    /// the only copy: it cannot be read back later.</summary>
    public async Task<(IntegrationKey Key, string Secret)> CreateAsync(
        long subscriptionId, string name, KeyAccess access, string? secret, CancellationToken cancellationToken)
    {
        secret ??= Secrets.NewIntegrationKey();
        var key = new IntegrationKey
        {
            Id = Guid.NewGuid(),
            SubscriptionId = subscriptionId,
            Name = name,
            SecretHash = Secrets.Hash(secret),
            Hint = Secrets.Hint(secret),
            Access = access,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.IntegrationKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return (key, secret);
    }

    public Task<List<IntegrationKey>> ListAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.IntegrationKeys.AsNoTracking()
            .Where(k => k.SubscriptionId == subscriptionId)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .ToListAsync(cancellationToken);

    /// <summary>Revokes a key; false when the subscription has no such key. A tracked delete, so that
    /// <see cref="ConfigChanges"/> counts it and the key stops verifying at once.</summary>
    public async Task<bool> DeleteAsync(long subscriptionId, Guid keyId, CancellationToken cancellationToken)
    {
        var key = await db.IntegrationKeys.FirstOrDefaultAsync(k => k.SubscriptionId == subscriptionId && k.Id == keyId, cancellationToken);
        if (key is null) return false;
        db.IntegrationKeys.Remove(key);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The key whose secret this is, or null.</summary>
    public async Task<IntegrationKey?> VerifyAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(secret);
        if (verified.Find(hash) is { } kept) return kept;
        var readAt = time.GetTimestamp();
        var version = verified.Version;
        var key = await db.IntegrationKeys.AsNoTracking().FirstOrDefaultAsync(k => k.SecretHash == hash, cancellationToken);
        if (key is not null) verified.Keep(hash, key, version, readAt);
        return key;
    }
}

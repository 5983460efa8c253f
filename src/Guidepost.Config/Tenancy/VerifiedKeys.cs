using System.Collections.Concurrent;
using Guidepost.Config.Entities;

namespace Guidepost.Config.Tenancy;

/// <summary>Integration keys verified recently, by secret hash, so that an API call does not read the config
/// store to check its key. Forgotten after any write to the config store in this process (a revocation takes
/// effect at once) and after a few seconds (for a revocation by another process sharing the database).
/// Only valid keys are kept: guesses cannot fill it.</summary>
public sealed class VerifiedKeys(ConfigChanges changes, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (long Version, long ReadAt, IntegrationKey Key)> _kept = new();

    internal long Version => changes.Version;

    internal IntegrationKey? Find(string secretHash)
    {
        if (!_kept.TryGetValue(secretHash, out var kept)) return null;
        if (kept.Version == changes.Version && time.GetElapsedTime(kept.ReadAt) < MaxAge) return kept.Key;
        _kept.TryRemove(KeyValuePair.Create(secretHash, kept));
        return null;
    }

    /// <param name="version">The change count read before the key was, so a write racing the read discards it.</param>
    internal void Keep(string secretHash, IntegrationKey key, long version, long readAt) => _kept[secretHash] = (version, readAt, key);
}

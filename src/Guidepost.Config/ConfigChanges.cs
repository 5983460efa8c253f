using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guidepost.Config;

/// <summary>Counts the config store's saved changes in this process, so that what is kept from it in memory
/// is read again after any write. Bulk deletes (<c>ExecuteDelete</c>) do not count, so what is kept is
/// deleted with tracked changes.</summary>
public sealed class ConfigChanges : SaveChangesInterceptor
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Interlocked.Increment(ref _version);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _version);
        return ValueTask.FromResult(result);
    }
}

using Guidepost.Config;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Tagging.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Query.Reports;

/// <summary>Saved segments and list reports of a subscription.</summary>
public sealed class AnalyticsCatalog(ConfigDbContext db, TimeProvider time)
{
    public Task<List<Segment>> ListSegmentsAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.Segments.AsNoTracking().Where(s => s.SubscriptionId == subscriptionId).OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);

    public Task<Segment?> FindSegmentAsync(long subscriptionId, string id, CancellationToken cancellationToken) =>
        db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.SubscriptionId == subscriptionId && s.Id == id, cancellationToken);

    /// <summary>Creates (<paramref name="id"/> null) or replaces a segment; null when the id is unknown.</summary>
    public async Task<Segment?> SaveSegmentAsync(long subscriptionId, string? id, string name, string definition, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var segment = id is null ? null : await db.Segments.FirstOrDefaultAsync(s => s.SubscriptionId == subscriptionId && s.Id == id, cancellationToken);
        if (id is not null && segment is null) return null;
        if (segment is null)
        {
            segment = new Segment { Id = TagCatalog.NewId(), SubscriptionId = subscriptionId, Name = name, Definition = definition, CreatedAt = now, CreatedBy = actor, LastUpdatedBy = actor };
            db.Segments.Add(segment);
        }
        (segment.Name, segment.Definition, segment.LastUpdatedAt, segment.LastUpdatedBy) = (name, definition, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return segment;
    }

    public async Task<bool> DeleteSegmentAsync(long subscriptionId, string id, CancellationToken cancellationToken) =>
        await db.Segments.Where(s => s.SubscriptionId == subscriptionId && s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;

    public Task<List<SavedReport>> ListReportsAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.SavedReports.AsNoTracking().Where(r => r.SubscriptionId == subscriptionId).OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);

    public Task<SavedReport?> FindReportAsync(long subscriptionId, string id, CancellationToken cancellationToken) =>
        db.SavedReports.AsNoTracking().FirstOrDefaultAsync(r => r.SubscriptionId == subscriptionId && r.Id == id, cancellationToken);

    public async Task<SavedReport?> SaveReportAsync(
        long subscriptionId, string? id, string name, string generator, string definition, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var report = id is null ? null : await db.SavedReports.FirstOrDefaultAsync(r => r.SubscriptionId == subscriptionId && r.Id == id, cancellationToken);
        if (id is not null && report is null) return null;
        if (report is null)
        {
            report = new SavedReport
            {
                Id = TagCatalog.NewId(), SubscriptionId = subscriptionId, Name = name, Generator = generator, Definition = definition, Shared = true,
                CreatedAt = now, CreatedBy = actor, LastUpdatedBy = actor,
            };
            db.SavedReports.Add(report);
        }
        (report.Name, report.Generator, report.Definition, report.LastUpdatedAt, report.LastUpdatedBy) = (name, generator, definition, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return report;
    }

    public async Task<bool> DeleteReportAsync(long subscriptionId, string id, CancellationToken cancellationToken) =>
        await db.SavedReports.Where(r => r.SubscriptionId == subscriptionId && r.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
}

using Guidepost.Config;
using Guidepost.Config.Entities.Guides;
using Guidepost.Tagging.Catalog;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Guides.Authoring;

/// <summary>A subscription's guides, their versions and resets, and its themes and layouts. Every stage or
/// publish records a version: the definition as it was delivered from then on.</summary>
public sealed class GuideCatalog(ConfigDbContext db, TimeProvider time)
{
    public Task<List<Guide>> ListAsync(long subscriptionId, long? applicationId, CancellationToken cancellationToken) =>
        db.Guides.AsNoTracking()
            .Where(g => g.SubscriptionId == subscriptionId && (applicationId == null || g.ApplicationId == applicationId))
            .OrderBy(g => g.Name).ThenBy(g => g.Id).ToListAsync(cancellationToken);

    public Task<Guide?> FindAsync(long subscriptionId, string id, CancellationToken cancellationToken) =>
        db.Guides.AsNoTracking().FirstOrDefaultAsync(g => g.SubscriptionId == subscriptionId && g.Id == id, cancellationToken);

    public async Task<Guide> CreateAsync(long subscriptionId, long applicationId, string name, string definition, string actor, CancellationToken cancellationToken)
    {
        var now = Now();
        var guide = new Guide
        {
            Id = GuideIds.New(), SubscriptionId = subscriptionId, ApplicationId = applicationId, Name = name, State = GuideState.Draft,
            Draft = definition, CreatedAt = now, CreatedBy = actor, LastUpdatedAt = now, LastUpdatedBy = actor,
        };
        db.Guides.Add(guide);
        await db.SaveChangesAsync(cancellationToken);
        return guide;
    }

    /// <summary>Replaces the draft (a staged or public guide keeps delivering its version until the next
    /// stage or publish); null when there is no such guide.</summary>
    public async Task<Guide?> EditAsync(long subscriptionId, string id, string name, string definition, string actor, CancellationToken cancellationToken)
    {
        var guide = await db.Guides.FirstOrDefaultAsync(g => g.SubscriptionId == subscriptionId && g.Id == id, cancellationToken);
        if (guide is null) return null;
        (guide.Name, guide.Draft, guide.LastUpdatedAt, guide.LastUpdatedBy) = (name, definition, Now(), actor);
        await db.SaveChangesAsync(cancellationToken);
        return guide;
    }

    /// <summary>Moves a guide to <paramref name="state"/>. Staging or publishing records the draft as a new
    /// version and delivers it; disabling or returning to draft stops delivery and keeps the versions.</summary>
    public async Task<Guide?> ChangeStateAsync(long subscriptionId, string id, GuideState state, string actor, CancellationToken cancellationToken)
    {
        var guide = await db.Guides.FirstOrDefaultAsync(g => g.SubscriptionId == subscriptionId && g.Id == id, cancellationToken);
        if (guide is null) return null;
        var now = Now();
        if (state is GuideState.Staged or GuideState.Public)
        {
            var number = (await db.GuideVersions.Where(v => v.GuideId == id).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0) + 1;
            db.GuideVersions.Add(new GuideVersion
            {
                GuideId = id, Number = number, SubscriptionId = subscriptionId, State = state, Name = guide.Name, Definition = guide.Draft, CreatedAt = now, CreatedBy = actor,
            });
            guide.DeliveredVersion = number;
        }
        (guide.State, guide.LastUpdatedAt, guide.LastUpdatedBy) = (state, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return guide;
    }

    /// <summary>Every version, newest first; null when there is no such guide.</summary>
    public async Task<List<GuideVersion>?> HistoryAsync(long subscriptionId, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(subscriptionId, id, cancellationToken) is null) return null;
        return await db.GuideVersions.AsNoTracking().Where(v => v.SubscriptionId == subscriptionId && v.GuideId == id)
            .OrderByDescending(v => v.Number).ToListAsync(cancellationToken);
    }

    /// <summary>The version delivered (null before the first stage or publish) and its definition, or else the draft's.</summary>
    public async Task<(GuideVersion? Version, GuideDefinition Definition)> CurrentAsync(Guide guide, CancellationToken cancellationToken)
    {
        var version = guide.DeliveredVersion is { } number ? await FindVersionAsync(guide.SubscriptionId, guide.Id, number, cancellationToken) : null;
        using var json = JsonDocument.Parse(version?.Definition ?? guide.Draft);
        return (version, GuideDefinition.Parse(json.RootElement, [])!);
    }

    /// <summary>The subscription's themes and layouts.</summary>
    public async Task<GuideAssetSet> AssetsAsync(long subscriptionId, CancellationToken cancellationToken) => new(
        (await ListAssetsAsync(subscriptionId, GuideAssets.Theme, cancellationToken)).ToDictionary(a => a.Id),
        (await ListAssetsAsync(subscriptionId, GuideAssets.Layout, cancellationToken)).ToDictionary(a => a.Id));

    public Task<GuideVersion?> FindVersionAsync(long subscriptionId, string id, int number, CancellationToken cancellationToken) =>
        db.GuideVersions.AsNoTracking().FirstOrDefaultAsync(v => v.SubscriptionId == subscriptionId && v.GuideId == id && v.Number == number, cancellationToken);

    public async Task<bool> DeleteAsync(long subscriptionId, string id, CancellationToken cancellationToken)
    {
        var guide = await db.Guides.FirstOrDefaultAsync(g => g.SubscriptionId == subscriptionId && g.Id == id, cancellationToken);
        if (guide is null) return false;
        db.Guides.Remove(guide);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Forgets every visitor's progress through the guides, from now on.</summary>
    public async Task ResetAsync(IReadOnlyCollection<Guide> guides, CancellationToken cancellationToken)
    {
        var ids = guides.Select(g => g.Id).ToList();
        var now = Now();
        foreach (var guide in await db.Guides.Where(g => ids.Contains(g.Id)).ToListAsync(cancellationToken)) guide.ResetAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Forgets one visitor's progress through one guide (or, with <paramref name="guideId"/> null, all).</summary>
    public async Task ResetVisitorAsync(long subscriptionId, string visitorId, string? guideId, CancellationToken cancellationToken)
    {
        db.GuideResets.Add(new GuideReset { SubscriptionId = subscriptionId, VisitorId = visitorId, GuideId = guideId, At = Now() });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<List<GuideReset>> ListResetsAsync(long subscriptionId, string visitorId, CancellationToken cancellationToken) =>
        db.GuideResets.AsNoTracking().Where(r => r.SubscriptionId == subscriptionId && r.VisitorId == visitorId).ToListAsync(cancellationToken);

    public Task<List<GuideAsset>> ListAssetsAsync(long subscriptionId, string kind, CancellationToken cancellationToken) =>
        db.GuideAssets.AsNoTracking().Where(a => a.SubscriptionId == subscriptionId && a.Kind == kind)
            .OrderBy(a => a.Name).ThenBy(a => a.Id).ToListAsync(cancellationToken);

    public Task<GuideAsset?> FindAssetAsync(long subscriptionId, string kind, string id, CancellationToken cancellationToken) =>
        db.GuideAssets.AsNoTracking().FirstOrDefaultAsync(a => a.SubscriptionId == subscriptionId && a.Kind == kind && a.Id == id, cancellationToken);

    /// <summary>Creates (<paramref name="id"/> null) or replaces a theme or layout; null when the id is unknown.</summary>
    public async Task<GuideAsset?> SaveAssetAsync(
        long subscriptionId, string kind, string? id, string name, string definition, string actor, CancellationToken cancellationToken)
    {
        var now = Now();
        var asset = id is null ? null : await db.GuideAssets.FirstOrDefaultAsync(a => a.SubscriptionId == subscriptionId && a.Kind == kind && a.Id == id, cancellationToken);
        if (id is not null && asset is null) return null;
        if (asset is null)
        {
            asset = new GuideAsset
            {
                Id = TagCatalog.NewId(), SubscriptionId = subscriptionId, Kind = kind, Name = name, Definition = definition, CreatedAt = now, CreatedBy = actor,
                LastUpdatedBy = actor,
            };
            db.GuideAssets.Add(asset);
        }
        (asset.Name, asset.Definition, asset.LastUpdatedAt, asset.LastUpdatedBy) = (name, definition, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return asset;
    }

    public async Task<bool> DeleteAssetAsync(long subscriptionId, string kind, string id, CancellationToken cancellationToken)
    {
        var asset = await db.GuideAssets.FirstOrDefaultAsync(a => a.SubscriptionId == subscriptionId && a.Kind == kind && a.Id == id, cancellationToken);
        if (asset is null) return false;
        db.GuideAssets.Remove(asset);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>The kinds of <see cref="GuideAsset"/>.</summary>
public static class GuideAssets
{
    public const string Theme = "theme";
    public const string Layout = "layout";
}

/// <summary>A subscription's themes and layouts by id, read once for the guides that use them.</summary>
public sealed record GuideAssetSet(IReadOnlyDictionary<string, GuideAsset> Themes, IReadOnlyDictionary<string, GuideAsset> Layouts)
{
    public GuideAsset? ThemeOf(GuideDefinition guide) => guide.ThemeId is { } id ? Themes.GetValueOrDefault(id) : null;
}

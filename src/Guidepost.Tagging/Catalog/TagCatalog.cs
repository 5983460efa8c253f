using System.Buffers.Text;
using System.Security.Cryptography;
using Guidepost.Config;
using Guidepost.Config.Entities.Tags;
using Guidepost.Tagging.Rules;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Tagging.Catalog;

/// <summary>Pages, features, track types and product areas of a subscription: listing, and saving with
/// every rule validated first, so a stored rule always compiles.</summary>
public sealed class TagCatalog(ConfigDbContext db, TimeProvider time)
{
    public const int MaxDescriptionLength = 2000;
    public const int MaxTrackTypeNameLength = 256;
    public const int MaxColorLength = 32;

    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(20));

    /// <summary>The subscription's tags of one kind, of the given applications (all when null), by name.</summary>
    public Task<List<T>> ListAsync<T>(long subscriptionId, IReadOnlyCollection<long>? applicationIds, CancellationToken cancellationToken) where T : Tag
    {
        var query = db.Set<T>().AsNoTracking().Where(t => t.SubscriptionId == subscriptionId);
        if (applicationIds is not null) query = query.Where(t => applicationIds.Contains(t.ApplicationId));
        return query.OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>One tag of the subscription, or null.</summary>
    public Task<T?> FindAsync<T>(long subscriptionId, string id, CancellationToken cancellationToken) where T : Tag =>
        db.Set<T>().AsNoTracking().FirstOrDefaultAsync(t => t.SubscriptionId == subscriptionId && t.Id == id, cancellationToken);

    /// <summary>A page, feature or track type by the kind's name as the API writes it (<c>page</c>, <c>feature</c>,
    /// <c>trackType</c>); null for an unknown kind or id.</summary>
    public async Task<Tag?> FindAsync(long subscriptionId, string kind, string id, CancellationToken cancellationToken) => kind switch
    {
        "page" => await FindAsync<Page>(subscriptionId, id, cancellationToken),
        "feature" => await FindAsync<Feature>(subscriptionId, id, cancellationToken),
        "trackType" => await FindAsync<TrackType>(subscriptionId, id, cancellationToken),
        _ => null,
    };

    /// <summary>The page a feature counts on, or null when it counts anywhere in its application.</summary>
    public async Task<Page?> PageOfAsync(Feature feature, CancellationToken cancellationToken) =>
        !feature.AppWide && feature.PageId is { } pageId ? await FindAsync<Page>(feature.SubscriptionId, pageId, cancellationToken) : null;

    public Task<List<ProductArea>> ListProductAreasAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.ProductAreas.AsNoTracking().Where(a => a.SubscriptionId == subscriptionId).OrderBy(a => a.Name).ToListAsync(cancellationToken);

    public async Task<TagResult<Page>> SavePageAsync(long subscriptionId, string? id, PageDraft draft, string actor, CancellationToken cancellationToken)
    {
        var errors = await CommonErrorsAsync(subscriptionId, draft.ApplicationId, draft.Name, draft.ProductAreaId, cancellationToken);
        CheckDescription(errors, draft.Description);
        if (draft.Rules.Count == 0) Add(errors, "rules", "A page needs at least one rule, such as //*/reports.");
        for (var i = 0; i < draft.Rules.Count; i++)
            if (!PageRule.TryParse(draft.Rules[i], out _, out var error)) Add(errors, $"rules[{i}]", error!.ToString());
        if (errors.Count > 0) return TagResult<Page>.Invalid(errors);

        var page = await LoadOrCreateAsync(db.Pages, subscriptionId, id, () => new Page { Id = NewId(), Name = draft.Name, CreatedBy = actor, LastUpdatedBy = actor });
        if (page is null) return TagResult<Page>.Missing();
        Apply(page, draft.ApplicationId, draft.Name, draft.Description, draft.ProductAreaId, draft.IsCoreEvent, actor);
        page.Rules = [.. draft.Rules];
        await db.SaveChangesAsync(cancellationToken);
        return new TagResult<Page>(page);
    }

    public async Task<TagResult<Feature>> SaveFeatureAsync(long subscriptionId, string? id, FeatureDraft draft, string actor, CancellationToken cancellationToken)
    {
        var errors = await CommonErrorsAsync(subscriptionId, draft.ApplicationId, draft.Name, draft.ProductAreaId, cancellationToken);
        CheckDescription(errors, draft.Description);
        if (draft.ElementPathRules.Count == 0) Add(errors, "elementPathRules", "A feature needs at least one CSS selector, such as button#save.");
        for (var i = 0; i < draft.ElementPathRules.Count; i++)
            if (!FeatureRule.TryParse(draft.ElementPathRules[i], out _, out var error)) Add(errors, $"elementPathRules[{i}]", error!.ToString());
        if (draft.PageId is not null
            && !await db.Pages.AnyAsync(p => p.Id == draft.PageId && p.SubscriptionId == subscriptionId && p.ApplicationId == draft.ApplicationId, cancellationToken))
            Add(errors, "pageId", $"No page '{draft.PageId}' exists in application {draft.ApplicationId}.");
        if (errors.Count > 0) return TagResult<Feature>.Invalid(errors);

        var feature = await LoadOrCreateAsync(db.Features, subscriptionId, id, () => new Feature { Id = NewId(), Name = draft.Name, CreatedBy = actor, LastUpdatedBy = actor });
        if (feature is null) return TagResult<Feature>.Missing();
        Apply(feature, draft.ApplicationId, draft.Name, draft.Description, draft.ProductAreaId, draft.IsCoreEvent, actor);
        feature.ElementPathRules = [.. draft.ElementPathRules];
        feature.PageId = draft.PageId;
        feature.AppWide = draft.PageId is null || draft.AppWide;
        await db.SaveChangesAsync(cancellationToken);
        return new TagResult<Feature>(feature);
    }

    public async Task<TagResult<TrackType>> SaveTrackTypeAsync(long subscriptionId, string? id, TrackTypeDraft draft, string actor, CancellationToken cancellationToken)
    {
        var errors = await CommonErrorsAsync(subscriptionId, draft.ApplicationId, draft.Name, draft.ProductAreaId, cancellationToken);
        CheckDescription(errors, draft.Description);
        if (draft.TrackTypeName.Length > MaxTrackTypeNameLength)
            Add(errors, "trackTypeName", $"A track event name has at most {MaxTrackTypeNameLength} characters.");
        else if (string.IsNullOrWhiteSpace(draft.TrackTypeName)) Add(errors, "trackTypeName", "The name of the track events this type counts is required.");
        else if (await db.TrackTypes.AnyAsync(t => t.ApplicationId == draft.ApplicationId && t.TrackTypeName == draft.TrackTypeName && t.Id != id, cancellationToken))
            Add(errors, "trackTypeName", $"Application {draft.ApplicationId} already has a track type for '{draft.TrackTypeName}'.");
        if (errors.Count > 0) return TagResult<TrackType>.Invalid(errors);

        var trackType = await LoadOrCreateAsync(db.TrackTypes, subscriptionId, id,
            () => new TrackType { Id = NewId(), Name = draft.Name, TrackTypeName = draft.TrackTypeName, CreatedBy = actor, LastUpdatedBy = actor });
        if (trackType is null) return TagResult<TrackType>.Missing();
        Apply(trackType, draft.ApplicationId, draft.Name, draft.Description, draft.ProductAreaId, draft.IsCoreEvent, actor);
        trackType.TrackTypeName = draft.TrackTypeName;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.TrackTypes.AnyAsync(
                t => t.ApplicationId == draft.ApplicationId && t.TrackTypeName == draft.TrackTypeName && t.Id != trackType.Id, CancellationToken.None))
                throw;
            // Another request created the same track type between the check above and this save.
            return TagResult<TrackType>.Invalid(new() { ["trackTypeName"] = [$"Application {draft.ApplicationId} already has a track type for '{draft.TrackTypeName}'."] });
        }
        return new TagResult<TrackType>(trackType);
    }

    public async Task<ProductArea> CreateProductAreaAsync(long subscriptionId, string name, string? description, string? color, CancellationToken cancellationToken)
    {
        var area = new ProductArea
        {
            Id = NewId(), SubscriptionId = subscriptionId, Name = name, Description = description, Color = color,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.ProductAreas.Add(area);
        await db.SaveChangesAsync(cancellationToken);
        return area;
    }

    /// <summary>Deletes a tag of the subscription; false when there is none with this id.</summary>
    public async Task<bool> DeleteAsync<T>(long subscriptionId, string id, CancellationToken cancellationToken) where T : Tag =>
        await db.Set<T>().Where(t => t.SubscriptionId == subscriptionId && t.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;

    private async Task<T?> LoadOrCreateAsync<T>(DbSet<T> set, long subscriptionId, string? id, Func<T> create) where T : Tag
    {
        if (id is not null) return await set.FirstOrDefaultAsync(t => t.SubscriptionId == subscriptionId && t.Id == id);
        var tag = create();
        tag.SubscriptionId = subscriptionId;
        tag.CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        set.Add(tag);
        return tag;
    }

    private void Apply(Tag tag, long applicationId, string name, string? description, string? productAreaId, bool isCoreEvent, string actor)
    {
        tag.ApplicationId = applicationId;
        tag.Name = name.Trim();
        tag.Description = description;
        tag.ProductAreaId = productAreaId;
        tag.IsCoreEvent = isCoreEvent;
        tag.LastUpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        tag.LastUpdatedBy = actor;
    }

    private async Task<Dictionary<string, List<string>>> CommonErrorsAsync(
        long subscriptionId, long applicationId, string name, string? productAreaId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(name)) Add(errors, "name", "A name is required.");
        else if (name.Length > ConfigDbContext.MaxNameLength) Add(errors, "name", $"A name has at most {ConfigDbContext.MaxNameLength} characters.");
        if (!await db.Applications.AnyAsync(a => a.Id == applicationId && a.SubscriptionId == subscriptionId, cancellationToken))
            Add(errors, "appId", $"No application {applicationId} exists in this subscription.");
        if (productAreaId is not null && !await db.ProductAreas.AnyAsync(a => a.Id == productAreaId && a.SubscriptionId == subscriptionId, cancellationToken))
            Add(errors, "group", $"No product area '{productAreaId}' exists in this subscription.");
        return errors;
    }

    private static void CheckDescription(Dictionary<string, List<string>> errors, string? description)
    {
        if (description?.Length > MaxDescriptionLength) Add(errors, "description", $"A description has at most {MaxDescriptionLength} characters.");
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string problem)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(problem);
    }
}

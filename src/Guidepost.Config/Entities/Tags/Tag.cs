namespace Guidepost.Config.Entities.Tags;

/// <summary>What every tag (page, feature, track type) has: a name in one application, an optional
/// product area, and who made and last changed it.</summary>
public abstract class Tag
{
    /// <summary>A random URL-safe id, as Pendo's are.</summary>
    public required string Id { get; set; }

    public long SubscriptionId { get; set; }
    public long ApplicationId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? ProductAreaId { get; set; }

    /// <summary>Core events are the ones Product Engagement Score's adoption counts.</summary>
    public bool IsCoreEvent { get; set; }

    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public long LastUpdatedAt { get; set; }
    public required string LastUpdatedBy { get; set; }
}

/// <summary>A page: the URLs its rules match, in Pendo's URL rule syntax.</summary>
public sealed class Page : Tag
{
    public List<string> Rules { get; set; } = [];
}

/// <summary>A feature: clicks on elements its CSS selectors match, optionally only on one page.</summary>
public sealed class Feature : Tag
{
    public List<string> ElementPathRules { get; set; } = [];

    /// <summary>When set (and not <see cref="AppWide"/>), only clicks on this page's URLs count.</summary>
    public string? PageId { get; set; }

    public bool AppWide { get; set; } = true;
}

/// <summary>A track type: the track events of one name.</summary>
public sealed class TrackType : Tag
{
    public required string TrackTypeName { get; set; }
}

/// <summary>A product area (Pendo's "group"): a subscription-wide label that groups pages and features.</summary>
public sealed class ProductArea
{
    public required string Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? Color { get; set; }
    public long CreatedAt { get; set; }
}

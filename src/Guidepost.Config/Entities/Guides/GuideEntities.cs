namespace Guidepost.Config.Entities.Guides;

/// <summary>A guide's lifecycle. Only staged and public guides are delivered: staged ones only on the
/// application's staging hosts.</summary>
public enum GuideState
{
    Draft,
    Staged,
    Public,
    Disabled,
}

/// <summary>A guide of one application: the draft authors edit, and the version delivered to visitors.</summary>
public sealed class Guide
{
    public required string Id { get; set; }
    public long SubscriptionId { get; set; }
    public long ApplicationId { get; set; }
    public required string Name { get; set; }
    public GuideState State { get; set; }

    /// <summary>The definition being edited, as JSON (see Guidepost.Guides.Authoring).</summary>
    public required string Draft { get; set; }

    /// <summary>The version delivered while the guide is staged or public; null before the first stage or publish.</summary>
    public int? DeliveredVersion { get; set; }

    /// <summary>Step states older than this are forgotten for every visitor (a reset of the guide).</summary>
    public long? ResetAt { get; set; }

    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public long LastUpdatedAt { get; set; }
    public required string LastUpdatedBy { get; set; }
}

/// <summary>One stage or publish of a guide: the definition as it was then, kept for the history.</summary>
public sealed class GuideVersion
{
    public required string GuideId { get; set; }
    public int Number { get; set; }
    public long SubscriptionId { get; set; }
    public GuideState State { get; set; }
    public required string Name { get; set; }
    public required string Definition { get; set; }
    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>Forgets one visitor's step states older than <see cref="At"/>, for one guide or (GuideId null) all of them.</summary>
public sealed class GuideReset
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string VisitorId { get; set; }
    public string? GuideId { get; set; }
    public long At { get; set; }
}

/// <summary>A reusable part of guides shared by a subscription: a theme (style) or a layout (a step's structure).</summary>
public sealed class GuideAsset
{
    public required string Id { get; set; }
    public long SubscriptionId { get; set; }

    /// <summary><c>theme</c> or <c>layout</c>.</summary>
    public required string Kind { get; set; }

    public required string Name { get; set; }
    public required string Definition { get; set; }
    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public long LastUpdatedAt { get; set; }
    public required string LastUpdatedBy { get; set; }
}

/// <summary>Per-application guide settings: how often automatic guides may appear.</summary>
public sealed class GuideSettings
{
    public bool ThrottlingEnabled { get; set; }

    /// <summary>At least this many <see cref="ThrottlingUnit"/>s between two automatic guides.</summary>
    public int ThrottlingInterval { get; set; } = 1;

    /// <summary><c>minute</c>, <c>hour</c> or <c>day</c>, as the agent reads it.</summary>
    public string ThrottlingUnit { get; set; } = "day";
}

using Guidepost.Core.Time;

namespace Guidepost.Config.Entities;

/// <summary>A customer of the platform: owns applications, integration keys, visitors and accounts.</summary>
public sealed class Subscription
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>IANA zone that sets day and hour boundaries in reports.</summary>
    public string TimeZone { get; set; } = TimeZones.Utc;

    /// <summary>Free label for data residency (for example "eu-west").</summary>
    public string? Region { get; set; }

    public long CreatedAt { get; set; }

    public List<Application> Applications { get; set; } = [];
}

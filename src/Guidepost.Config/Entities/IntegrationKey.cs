using Guidepost.Core.Tenancy;

namespace Guidepost.Config.Entities;

/// <summary>A secret that lets an API client act within one subscription. Only its hash is stored.</summary>
public sealed class IntegrationKey
{
    public Guid Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret, hex; the secret itself is shown once, at creation.</summary>
    public required string SecretHash { get; set; }

    /// <summary>The first characters of the secret, so people can tell keys apart.</summary>
    public required string Hint { get; set; }

    public KeyAccess Access { get; set; }
    public long CreatedAt { get; set; }
}

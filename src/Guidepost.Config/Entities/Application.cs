using Guidepost.Core.Tenancy;

namespace Guidepost.Config.Entities;

/// <summary>One web or mobile application; its public API key identifies it to the agent.</summary>
public sealed class Application
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string Name { get; set; }
    public Platform Platform { get; set; }

    /// <summary>Public, embedded in the page's install snippet; not a secret.</summary>
    public required string ApiKey { get; set; }

    /// <summary>Hosts (for example "staging.example.com") on which staged guides are shown.</summary>
    public List<string> StagingHosts { get; set; } = [];

    /// <summary>A disabled application's API key is refused at ingest.</summary>
    public bool Disabled { get; set; }

    /// <summary>SHA-256 of the Track API shared secret, which servers send to <c>/data/track</c>.</summary>
    public string? TrackSecretHash { get; set; }

    public IngestionSettings Ingestion { get; set; } = new();

    public Guides.GuideSettings Guides { get; set; } = new();

    public AgentSettings Agent { get; set; } = new();

    public long CreatedAt { get; set; }
}

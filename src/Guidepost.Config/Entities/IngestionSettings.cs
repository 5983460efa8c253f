namespace Guidepost.Config.Entities;

/// <summary>Per-application rules that change what ingestion stores. Edited by admins; applied to every
/// event before it is written.</summary>
public sealed class IngestionSettings
{
    /// <summary>Events of these visitors are dropped (for example internal test users).</summary>
    public List<string> ExcludedVisitorIds { get; set; } = [];

    /// <summary>Events of visitors in these accounts are dropped.</summary>
    public List<string> ExcludedAccountIds { get; set; } = [];

    /// <summary>Events from these addresses or CIDR ranges ("10.0.0.0/8", "2001:db8::/32") are dropped.</summary>
    public List<string> ExcludedIpRanges { get; set; } = [];

    /// <summary>When on, the <see cref="PiiFields"/> of visitor and account metadata are never written.</summary>
    public bool ExcludePii { get; set; }

    /// <summary>Metadata fields treated as personal data.</summary>
    public List<string> PiiFields { get; set; } = ["email"];

    /// <summary>When off, events of anonymous visitors (<c>_PENDO_T_…</c>) are dropped.</summary>
    public bool CollectAnonymousVisitors { get; set; } = true;
}

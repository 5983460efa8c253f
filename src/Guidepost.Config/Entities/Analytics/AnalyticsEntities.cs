namespace Guidepost.Config.Entities.Analytics;

/// <summary>A metadata field of visitors or accounts in one group (agent, custom, salesforce, ...), with
/// the type values are checked against (Pendo's "Data Mappings").</summary>
public sealed class MetadataField
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }

    /// <summary><c>visitor</c> or <c>account</c>.</summary>
    public required string Kind { get; set; }

    public required string Group { get; set; }
    public required string Name { get; set; }
    public required string DisplayName { get; set; }

    /// <summary>One of <c>string</c>, <c>boolean</c>, <c>integer</c>, <c>float</c>, <c>time</c> (Pendo's schema types).</summary>
    public required string Type { get; set; }

    public bool IsDeleted { get; set; }
    public long CreatedAt { get; set; }
}

/// <summary>A saved segment: a named rule tree over metadata and behaviour (see Guidepost.Query.Segments).</summary>
public sealed class Segment
{
    public required string Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string Name { get; set; }

    /// <summary>The rule tree as JSON.</summary>
    public required string Definition { get; set; }

    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public long LastUpdatedAt { get; set; }
    public required string LastUpdatedBy { get; set; }
}

/// <summary>A saved visitor or account list report: its columns, segment, range and sort as JSON.</summary>
public sealed class SavedReport
{
    public required string Id { get; set; }
    public long SubscriptionId { get; set; }
    public required string Name { get; set; }

    /// <summary><c>visitorList</c> or <c>accountList</c>.</summary>
    public required string Generator { get; set; }

    public required string Definition { get; set; }
    public bool Shared { get; set; }
    public long CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public long LastUpdatedAt { get; set; }
    public required string LastUpdatedBy { get; set; }
}

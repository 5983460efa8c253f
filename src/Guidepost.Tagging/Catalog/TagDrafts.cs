namespace Guidepost.Tagging.Catalog;

/// <summary>What a client sends to create or replace a page.</summary>
public sealed record PageDraft(long ApplicationId, string Name, string? Description, IReadOnlyList<string> Rules, string? ProductAreaId, bool IsCoreEvent);

/// <summary>What a client sends to create or replace a feature.</summary>
public sealed record FeatureDraft(
    long ApplicationId, string Name, string? Description, IReadOnlyList<string> ElementPathRules, string? PageId, bool AppWide,
    string? ProductAreaId, bool IsCoreEvent);

/// <summary>What a client sends to create or replace a track type.</summary>
public sealed record TrackTypeDraft(long ApplicationId, string Name, string? Description, string TrackTypeName, string? ProductAreaId, bool IsCoreEvent);

/// <summary>A save's outcome: the saved tag, or what was wrong (field → problems), or that it was not found.</summary>
public sealed record TagResult<T>(T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, bool NotFound = false) where T : class
{
    public static TagResult<T> Invalid(Dictionary<string, List<string>> errors) =>
        new(null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public static TagResult<T> Missing() => new(null, NotFound: true);
}

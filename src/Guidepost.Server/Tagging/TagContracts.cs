using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Tagging.Rules;

namespace Guidepost.Server.Tagging;

// Requests follow Pendo's object shapes and, like Pendo, ignore fields they do not use, so an object
// read with GET can be edited and sent back with PUT.

/// <summary>A product area reference as Pendo writes it: <c>"group": {"id": "…"}</c>.</summary>
public sealed record GroupReference(string? Id);

public sealed record PageRequest(string? Name, long? AppId, string? Description, JsonElement? Rules, GroupReference? Group, bool? IsCoreEvent);

public sealed record FeatureRequest(
    string? Name, long? AppId, string? Description, JsonElement? ElementPathRules, string? PageId, bool? AppWide, GroupReference? Group, bool? IsCoreEvent);

public sealed record TrackTypeRequest(
    string? Name, long? AppId, string? Description, string? TrackTypeName, GroupReference? Group, bool? IsCoreEvent);

public sealed record ProductAreaRequest(string? Name, string? Description, string? Color);

/// <summary>Rules to check without saving anything.</summary>
public sealed record RuleCheckRequest(string? Kind, JsonElement? Rules);

public sealed record UserReference(string Username);

public sealed record GroupView(string Id, string Name, string? Description, string? Color, string Type = "group");

public sealed record PageRuleView(string Rule, string DesignerHint, string ParsedRule);

/// <summary>Fields of every tag object, named as in Pendo's API.</summary>
public abstract record TagView(
    string Id, string Kind, long AppId, long[] AppIds, string Name, string? Description, GroupView? Group, bool IsCoreEvent,
    UserReference CreatedByUser, long CreatedAt, UserReference LastUpdatedByUser, long LastUpdatedAt, string RootVersionId,
    string StableVersionId, bool Dirty, long ValidThrough);

public sealed record PageView(
    string Id, long AppId, string Name, string? Description, GroupView? Group, bool IsCoreEvent, UserReference CreatedByUser, long CreatedAt,
    UserReference LastUpdatedByUser, long LastUpdatedAt, IReadOnlyList<PageRuleView> Rules)
    : TagView(Id, "Page", AppId, [AppId], Name, Description, Group, IsCoreEvent, CreatedByUser, CreatedAt, LastUpdatedByUser, LastUpdatedAt,
        Id, TagViews.StableVersion(Id, LastUpdatedAt), false, LastUpdatedAt);

public sealed record FeatureView(
    string Id, long AppId, string Name, string? Description, GroupView? Group, bool IsCoreEvent, UserReference CreatedByUser, long CreatedAt,
    UserReference LastUpdatedByUser, long LastUpdatedAt, IReadOnlyList<string> ElementPathRules, string? PageId, bool AppWide)
    : TagView(Id, "Feature", AppId, [AppId], Name, Description, Group, IsCoreEvent, CreatedByUser, CreatedAt, LastUpdatedByUser, LastUpdatedAt,
        Id, TagViews.StableVersion(Id, LastUpdatedAt), false, LastUpdatedAt);

public sealed record TrackTypeView(
    string Id, long AppId, string Name, string? Description, GroupView? Group, bool IsCoreEvent, UserReference CreatedByUser, long CreatedAt,
    UserReference LastUpdatedByUser, long LastUpdatedAt, string TrackTypeName, IReadOnlyList<string> TrackTypeRules, IReadOnlyList<string> EventPropertyNameList)
    : TagView(Id, "TrackType", AppId, [AppId], Name, Description, Group, IsCoreEvent, CreatedByUser, CreatedAt, LastUpdatedByUser, LastUpdatedAt,
        Id, TagViews.StableVersion(Id, LastUpdatedAt), false, LastUpdatedAt);

public sealed record RuleCheckView(string Rule, bool Valid, string? ParsedRule, string? Problem, int? Position);

/// <summary>Entity → Pendo-shaped object.</summary>
internal static class TagViews
{
    /// <summary>Pendo's <c>stableVersionId</c>: the id and the time of the last change.</summary>
    public static string StableVersion(string id, long at) =>
        $"{id}-{DateTimeOffset.FromUnixTimeMilliseconds(at):yyyyMMddHHmmss}.{at % 1000:000}000000";

    public static PageView Of(Page p, GroupView? group) => new(p.Id, p.ApplicationId, p.Name, p.Description, group, p.IsCoreEvent,
        new(p.CreatedBy), p.CreatedAt, new(p.LastUpdatedBy), p.LastUpdatedAt,
        [.. p.Rules.Select(r => new PageRuleView(r, r, PageRule.Parse(r).Pattern))]);

    public static FeatureView Of(Feature f, GroupView? group) => new(f.Id, f.ApplicationId, f.Name, f.Description, group, f.IsCoreEvent,
        new(f.CreatedBy), f.CreatedAt, new(f.LastUpdatedBy), f.LastUpdatedAt, f.ElementPathRules, f.PageId, f.AppWide);

    public static TrackTypeView Of(TrackType t, GroupView? group) => new(t.Id, t.ApplicationId, t.Name, t.Description, group, t.IsCoreEvent,
        new(t.CreatedBy), t.CreatedAt, new(t.LastUpdatedBy), t.LastUpdatedAt, t.TrackTypeName, [t.TrackTypeName], []);

    public static GroupView Of(ProductArea a) => new(a.Id, a.Name, a.Description, a.Color);
}

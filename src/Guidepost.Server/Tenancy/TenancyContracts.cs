using Guidepost.Server.Hosting;
using Guidepost.Server.Agent;
using Guidepost.Config.Entities.Guides;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Guidepost.Config;
using Guidepost.Config.Entities;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Core.Time;

namespace Guidepost.Server.Tenancy;

// Requests refuse unknown members so a misspelt field is an error, not a silently ignored value.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSubscriptionRequest(
    [property: Required, StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string Name,
    [property: TimeZoneId] string? TimeZone,
    [property: StringLength(64)] string? Region);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateSubscriptionRequest(
    [property: StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string? Name,
    [property: TimeZoneId] string? TimeZone,
    [property: StringLength(64)] string? Region);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateApplicationRequest(
    [property: Required, StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string Name,
    Platform? Platform,
    [property: HostNames] List<string>? StagingHosts);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateApplicationRequest(
    [property: StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string? Name,
    [property: HostNames] List<string>? StagingHosts,
    bool? Disabled,
    IngestionSettingsRequest? Ingestion,
    GuideSettingsRequest? Guides,
    AgentSettingsRequest? Agent);

/// <summary>Replaces what Guidepost's agent captures on the application's pages; fields left out keep their defaults.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentSettingsRequest(
    bool? CaptureText,
    [property: MaxLength(64), HtmlAttributeNames] List<string>? HtmlAttributes)
{
    public AgentSettings ToSettings()
    {
        var settings = new AgentSettings();
        if (CaptureText is { } captureText) settings.CaptureText = captureText;
        if (HtmlAttributes is not null) settings.HtmlAttributes = [.. HtmlAttributes.Select(a => a.ToLowerInvariant()).Distinct()];
        return settings;
    }
}

/// <summary>Replaces an application's guide settings: at least <c>throttlingInterval</c> <c>throttlingUnit</c>s
/// between two automatic guides when <c>throttlingEnabled</c> (a guide may override it).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GuideSettingsRequest(
    bool? ThrottlingEnabled,
    [property: Range(1, 10_000)] int? ThrottlingInterval,
    [property: AllowedValues("minute", "hour", "day", null)] string? ThrottlingUnit)
{
    public GuideSettings ToSettings()
    {
        var settings = new GuideSettings();
        if (ThrottlingEnabled is { } enabled) settings.ThrottlingEnabled = enabled;
        if (ThrottlingInterval is { } interval) settings.ThrottlingInterval = interval;
        if (ThrottlingUnit is { } unit) settings.ThrottlingUnit = unit;
        return settings;
    }
}

/// <summary>Replaces an application's ingestion settings; fields left out keep their defaults.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record IngestionSettingsRequest(
    [property: MaxLength(10_000)] List<string>? ExcludedVisitorIds,
    [property: MaxLength(10_000)] List<string>? ExcludedAccountIds,
    [property: MaxLength(1_000), IpRanges] List<string>? ExcludedIpRanges,
    bool? ExcludePii,
    [property: MaxLength(100), MetadataFieldNames] List<string>? PiiFields,
    bool? CollectAnonymousVisitors)
{
    public IngestionSettings ToSettings()
    {
        var settings = new IngestionSettings();
        if (ExcludedVisitorIds is not null) settings.ExcludedVisitorIds = [.. ExcludedVisitorIds.Distinct()];
        if (ExcludedAccountIds is not null) settings.ExcludedAccountIds = [.. ExcludedAccountIds.Distinct()];
        if (ExcludedIpRanges is not null) settings.ExcludedIpRanges = [.. ExcludedIpRanges.Select(r => r.Trim()).Distinct()];
        if (ExcludePii is { } excludePii) settings.ExcludePii = excludePii;
        if (PiiFields is not null) settings.PiiFields = [.. PiiFields.Distinct()];
        if (CollectAnonymousVisitors is { } collect) settings.CollectAnonymousVisitors = collect;
        return settings;
    }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateIntegrationKeyRequest(
    [property: Required, StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string Name,
    KeyAccess? Access);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateUserRequest(
    [property: Required, StringLength(ConfigDbContext.MaxNameLength, MinimumLength = 1)] string Username,
    [property: Required, StringLength(256, MinimumLength = UserService.MinPasswordLength)] string Password,
    Role? Role);

public sealed record SubscriptionResponse(long Id, string Name, string TimeZone, string? Region, long CreatedAt)
{
    public static SubscriptionResponse From(Subscription s) => new(s.Id, s.Name, s.TimeZone, s.Region, s.CreatedAt);
}

/// <param name="InstallSnippet">The script tag that installs Guidepost's agent on the application's pages.</param>
public record ApplicationResponse(
    long Id, long SubscriptionId, string Name, Platform Platform, string ApiKey, IReadOnlyList<string> StagingHosts, bool Disabled,
    IngestionSettings Ingestion, GuideSettings Guides, AgentSettings Agent, string InstallSnippet, long CreatedAt)
{
    public static ApplicationResponse From(Application a, HttpRequest request) =>
        new(a.Id, a.SubscriptionId, a.Name, a.Platform, a.ApiKey, a.StagingHosts, a.Disabled, a.Ingestion, a.Guides, a.Agent,
            AgentSnippet.For(request.Origin(), a.ApiKey), a.CreatedAt);
}

/// <summary>A new application, with the only copy of its Track API secret.</summary>
public sealed record CreatedApplicationResponse : ApplicationResponse
{
    public CreatedApplicationResponse(ApplicationResponse application, string trackSecret) : base(application) => TrackSecret = trackSecret;

    public string TrackSecret { get; }
}

/// <summary>The only copy of a rotated Track API secret.</summary>
public sealed record TrackSecretResponse(string TrackSecret);

public sealed record IntegrationKeyResponse(Guid Id, string Name, KeyAccess Access, string Hint, long CreatedAt)
{
    public static IntegrationKeyResponse From(IntegrationKey k) => new(k.Id, k.Name, k.Access, k.Hint, k.CreatedAt);
}

/// <summary>The only response that ever carries a key's secret.</summary>
public sealed record CreatedIntegrationKeyResponse(Guid Id, string Name, KeyAccess Access, string Hint, long CreatedAt, string Secret);

public sealed record MemberResponse(Guid Id, string Username, Role Role, long CreatedAt, long? LastLoginAt)
{
    public static MemberResponse From(User u, Role role) => new(u.Id, u.Username, role, u.CreatedAt, u.LastLoginAt);
}

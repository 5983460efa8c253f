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
    bool? Disabled);

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

public sealed record ApplicationResponse(
    long Id, long SubscriptionId, string Name, Platform Platform, string ApiKey, IReadOnlyList<string> StagingHosts, bool Disabled, long CreatedAt)
{
    public static ApplicationResponse From(Application a) =>
        new(a.Id, a.SubscriptionId, a.Name, a.Platform, a.ApiKey, a.StagingHosts, a.Disabled, a.CreatedAt);
}

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

/// <summary>An IANA time zone such as "Europe/Paris".</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || value is string id && TimeZones.IsKnown(id)
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not an IANA time zone such as \"UTC\" or \"Europe/Paris\".");
}

/// <summary>Up to 50 bare host names or IP addresses (no scheme, path or port).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class HostNamesAttribute : ValidationAttribute
{
    public const int MaxHosts = 50;

    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        if (value is not IEnumerable<string> hosts) return ValidationResult.Success;
        var list = hosts.ToList();
        if (list.Count > MaxHosts) return new ValidationResult($"At most {MaxHosts} hosts are allowed; got {list.Count}.");
        var bad = list.FindIndex(h => h is null || h.Length > 253 || Uri.CheckHostName(h) is UriHostNameType.Unknown or UriHostNameType.Basic);
        return bad < 0
            ? ValidationResult.Success
            : new ValidationResult($"'{list[bad]}' is not a host name such as \"staging.example.com\".");
    }
}

using System.Security.Claims;
using Guidepost.Core.Tenancy;

namespace Guidepost.Server.Auth;

/// <summary>The claims that say who is calling: an integration key of one subscription, or a person.</summary>
internal static class GuidepostClaims
{
    public const string Kind = "gp:kind";
    public const string Subscription = "gp:subscription";
    public const string Access = "gp:access";
    public const string InstanceAdmin = "gp:instance_admin";

    public const string KeyKind = "key";
    public const string UserKind = "user";

    public static bool IsKey(this ClaimsPrincipal principal) => principal.FindFirstValue(Kind) == KeyKind;

    public static Guid? UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(Kind) == UserKind && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>For a key: its subscription and what it may do there.</summary>
    public static (long SubscriptionId, KeyAccess Access)? KeyScope(this ClaimsPrincipal principal) =>
        principal.IsKey()
        && long.TryParse(principal.FindFirstValue(Subscription), out var subscriptionId)
        && Enum.TryParse<KeyAccess>(principal.FindFirstValue(Access), out var access)
            ? (subscriptionId, access)
            : null;
}

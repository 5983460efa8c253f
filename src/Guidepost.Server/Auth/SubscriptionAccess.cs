using System.Security.Claims;
using Guidepost.Config.Entities;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;

namespace Guidepost.Server.Auth;

/// <summary>Answers what the caller may do in a subscription. A read-write key acts as an admin of its
/// own subscription and a read-only key as a viewer; neither sees any other subscription. Instance admins
/// administer every subscription.</summary>
internal sealed class SubscriptionAccess(UserService users, SubscriptionService subscriptions)
{
    private User? _user;

    /// <summary>The caller's role in the subscription, or null when it may not see it (or it does not exist).</summary>
    public async Task<Role?> RoleInAsync(ClaimsPrincipal principal, long subscriptionId, CancellationToken cancellationToken)
    {
        if (principal.KeyScope() is { } scope)
            return scope.SubscriptionId != subscriptionId ? null : scope.Access == KeyAccess.ReadWrite ? Role.Admin : Role.Viewer;

        var user = await UserAsync(principal, cancellationToken);
        if (user is null) return null;
        if (user.IsInstanceAdmin) return await subscriptions.SubscriptionExistsAsync(subscriptionId, cancellationToken) ? Role.Admin : null;
        return user.Memberships.FirstOrDefault(m => m.SubscriptionId == subscriptionId)?.Role;
    }

    /// <summary>The subscriptions the caller can see; null means all of them.</summary>
    public async Task<IReadOnlyCollection<long>?> VisibleSubscriptionsAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.KeyScope() is { } scope) return [scope.SubscriptionId];
        var user = await UserAsync(principal, cancellationToken);
        if (user is null) return [];
        return user.IsInstanceAdmin ? null : [.. user.Memberships.Select(m => m.SubscriptionId)];
    }

    public async Task<bool> IsInstanceAdminAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        (await UserAsync(principal, cancellationToken))?.IsInstanceAdmin == true;

    /// <summary>The logged-in person, read fresh from the store once per request so role changes and
    /// deletions take effect at once.</summary>
    public async Task<User?> UserAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        _user ??= principal.UserId() is { } id ? await users.FindAsync(id, cancellationToken) : null;
}

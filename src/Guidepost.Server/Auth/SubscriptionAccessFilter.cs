using Guidepost.Core.Tenancy;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Auth;

/// <summary>The least role an endpoint under <c>/subscriptions/{subscriptionId}</c> needs.</summary>
internal sealed record RequiredRole(Role Role);

/// <summary>Guards every route that names a subscription: a caller who may not see the subscription gets
/// 404 (its existence is not revealed), one whose role is too low gets 403.</summary>
internal sealed class SubscriptionAccessFilter : IEndpointFilter
{
    public const string RouteKey = "subscriptionId";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!long.TryParse(http.Request.RouteValues[RouteKey]?.ToString(), out var subscriptionId))
            return ApiErrors.NotFound("No such subscription.");

        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? Role.Viewer;
        var access = http.RequestServices.GetRequiredService<SubscriptionAccess>();
        var role = await access.RoleInAsync(http.User, subscriptionId, http.RequestAborted);
        if (role is null) return ApiErrors.NotFound($"Subscription {subscriptionId} does not exist or is not visible to you.");
        if (role < required)
            return ApiErrors.Forbidden($"This needs the {required.ToString().ToLowerInvariant()} role in subscription {subscriptionId}; you have {role.Value.ToString().ToLowerInvariant()}.");
        return await next(context);
    }
}

internal static class SubscriptionAccessExtensions
{
    /// <summary>Declares the least role the endpoint needs; viewers are let through otherwise.</summary>
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder builder, Role role) => builder.WithMetadata(new RequiredRole(role));
}

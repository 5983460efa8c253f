using System.Security.Claims;
using Guidepost.Core.Tenancy;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Auth;

/// <summary>The subscription a Pendo-style API call (<c>/api/v1/…</c>) acts in, and who acts.</summary>
/// <param name="Actor">The caller's name as tags record it (a username, or the integration key's name).</param>
internal sealed record CallerSubscription(long SubscriptionId, Role Role, string Actor);

/// <summary>Resolves <see cref="CallerSubscription"/> for the <c>/api/v1</c> routes, which, as in Pendo,
/// name no subscription: an integration key acts in its own; a person in the one named by the
/// <c>x-guidepost-subscription</c> header, or in their only one. The least role comes from
/// <see cref="RequiredRole"/> metadata (viewer by default).</summary>
internal sealed class CallerSubscriptionFilter : IEndpointFilter
{
    public const string Header = "x-guidepost-subscription";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<SubscriptionAccess>();
        long subscriptionId;
        if (http.User.KeyScope() is { } scope) subscriptionId = scope.SubscriptionId;
        else if (long.TryParse(http.Request.Headers[Header], out var named)) subscriptionId = named;
        else if (await access.VisibleSubscriptionsAsync(http.User, http.RequestAborted) is { Count: 1 } only) subscriptionId = only.Single();
        else return ApiErrors.Invalid($"Name the subscription to act in with the {Header} header.");

        var role = await access.RoleInAsync(http.User, subscriptionId, http.RequestAborted);
        if (role is null) return ApiErrors.NotFound($"Subscription {subscriptionId} does not exist or is not visible to you.");
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? Role.Viewer;
        if (role < required)
            return ApiErrors.Forbidden($"This needs the {required.ToString().ToLowerInvariant()} role; you have {role.Value.ToString().ToLowerInvariant()}.");

        http.Items[typeof(CallerSubscription)] = new CallerSubscription(subscriptionId, role.Value, http.User.FindFirstValue(ClaimTypes.Name) ?? "api");
        return await next(context);
    }
}

internal static class CallerSubscriptionExtensions
{
    /// <summary>The subscription <see cref="CallerSubscriptionFilter"/> resolved for this request.</summary>
    public static CallerSubscription Caller(this HttpContext http) =>
        (CallerSubscription)http.Items[typeof(CallerSubscription)]!;
}

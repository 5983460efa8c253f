using System.Security.Claims;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Core.Time;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guidepost.Server.Tenancy;

/// <summary>Admin REST for subscriptions and their applications. Integration keys and users hang off the
/// same subscription group (<see cref="AccessApi"/>).</summary>
internal static class TenancyApi
{
    public static void MapTenancyApi(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup("/api/admin/subscriptions").WithTags("Tenancy").RequireAuthorization();
        subscriptions.MapGet("/", ListSubscriptionsAsync);
        subscriptions.MapPost("/", CreateSubscriptionAsync);

        var subscription = subscriptions.MapGroup($"/{{{SubscriptionAccessFilter.RouteKey}:long}}")
            .AddEndpointFilter<SubscriptionAccessFilter>()
            .AddEndpointFilter(ForgetCachedApplicationsAsync);
        subscription.MapGet("/", GetSubscriptionAsync);
        subscription.MapPatch("/", UpdateSubscriptionAsync).RequireRole(Role.Admin);
        subscription.MapGet("/applications", ListApplicationsAsync);
        subscription.MapPost("/applications", CreateApplicationAsync).RequireRole(Role.Admin);
        subscription.MapGet("/applications/{applicationId:long}", GetApplicationAsync);
        subscription.MapPatch("/applications/{applicationId:long}", UpdateApplicationAsync).RequireRole(Role.Admin);
        subscription.MapPost("/applications/{applicationId:long}/track-secret", RotateTrackSecretAsync).RequireRole(Role.Admin);
        subscription.MapAccessApi();
    }

    private static async Task<Ok<List<SubscriptionResponse>>> ListSubscriptionsAsync(
        ClaimsPrincipal caller, SubscriptionAccess access, SubscriptionService service, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleSubscriptionsAsync(caller, cancellationToken);
        var list = await service.ListSubscriptionsAsync(visible, cancellationToken);
        return TypedResults.Ok(list.ConvertAll(SubscriptionResponse.From));
    }

    private static async Task<Results<Created<SubscriptionResponse>, JsonHttpResult<ErrorBody>>> CreateSubscriptionAsync(
        CreateSubscriptionRequest request, ClaimsPrincipal caller, SubscriptionAccess access, SubscriptionService service,
        CancellationToken cancellationToken)
    {
        if (!await access.IsInstanceAdminAsync(caller, cancellationToken))
            return ApiErrors.Forbidden("Only an instance administrator can create subscriptions.");
        var created = await service.CreateSubscriptionAsync(
            request.Name.Trim(), request.TimeZone ?? TimeZones.Utc, request.Region?.Trim(), cancellationToken);
        return TypedResults.Created($"/api/admin/subscriptions/{created.Id}", SubscriptionResponse.From(created));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, JsonHttpResult<ErrorBody>>> GetSubscriptionAsync(
        long subscriptionId, SubscriptionService service, CancellationToken cancellationToken) =>
        await service.FindSubscriptionAsync(subscriptionId, cancellationToken) is { } found
            ? TypedResults.Ok(SubscriptionResponse.From(found))
            : ApiErrors.NotFound($"Subscription {subscriptionId} does not exist.");

    private static async Task<Results<Ok<SubscriptionResponse>, JsonHttpResult<ErrorBody>>> UpdateSubscriptionAsync(
        long subscriptionId, UpdateSubscriptionRequest request, SubscriptionService service, CancellationToken cancellationToken)
    {
        var found = await service.FindSubscriptionAsync(subscriptionId, cancellationToken);
        if (found is null) return ApiErrors.NotFound($"Subscription {subscriptionId} does not exist.");
        if (request.Name is not null) found.Name = request.Name.Trim();
        if (request.TimeZone is not null) found.TimeZone = request.TimeZone;
        if (request.Region is not null) found.Region = request.Region.Trim() is { Length: > 0 } region ? region : null;
        await service.SaveAsync(cancellationToken);
        return TypedResults.Ok(SubscriptionResponse.From(found));
    }

    private static async Task<Ok<List<ApplicationResponse>>> ListApplicationsAsync(
        long subscriptionId, HttpRequest http, SubscriptionService service, CancellationToken cancellationToken) =>
        TypedResults.Ok((await service.ListApplicationsAsync(subscriptionId, cancellationToken)).ConvertAll(a => ApplicationResponse.From(a, http)));

    private static async Task<Created<CreatedApplicationResponse>> CreateApplicationAsync(
        long subscriptionId, CreateApplicationRequest request, HttpRequest http, SubscriptionService service, CancellationToken cancellationToken)
    {
        var (created, trackSecret) = await service.CreateApplicationAsync(
            subscriptionId, request.Name.Trim(), request.Platform ?? Platform.Web, NormalizeHosts(request.StagingHosts), apiKey: null,
            cancellationToken);
        return TypedResults.Created($"/api/admin/subscriptions/{subscriptionId}/applications/{created.Id}",
            new CreatedApplicationResponse(ApplicationResponse.From(created, http), trackSecret));
    }

    private static async Task<Results<Ok<TrackSecretResponse>, JsonHttpResult<ErrorBody>>> RotateTrackSecretAsync(
        long subscriptionId, long applicationId, SubscriptionService service, CancellationToken cancellationToken)
    {
        var found = await service.FindApplicationAsync(subscriptionId, applicationId, cancellationToken);
        if (found is null) return ApiErrors.NotFound($"Application {applicationId} does not exist in subscription {subscriptionId}.");
        var secret = await service.RotateTrackSecretAsync(found, cancellationToken);
        return TypedResults.Ok(new TrackSecretResponse(secret));
    }

    private static async Task<Results<Ok<ApplicationResponse>, JsonHttpResult<ErrorBody>>> GetApplicationAsync(
        long subscriptionId, long applicationId, HttpRequest http, SubscriptionService service, CancellationToken cancellationToken) =>
        await service.FindApplicationAsync(subscriptionId, applicationId, cancellationToken) is { } found
            ? TypedResults.Ok(ApplicationResponse.From(found, http))
            : ApiErrors.NotFound($"Application {applicationId} does not exist in subscription {subscriptionId}.");

    private static async Task<Results<Ok<ApplicationResponse>, JsonHttpResult<ErrorBody>>> UpdateApplicationAsync(
        long subscriptionId, long applicationId, UpdateApplicationRequest request, HttpRequest http, SubscriptionService service,
        CancellationToken cancellationToken)
    {
        var found = await service.FindApplicationAsync(subscriptionId, applicationId, cancellationToken);
        if (found is null) return ApiErrors.NotFound($"Application {applicationId} does not exist in subscription {subscriptionId}.");
        if (request.Name is not null) found.Name = request.Name.Trim();
        if (request.StagingHosts is not null) found.StagingHosts = NormalizeHosts(request.StagingHosts);
        if (request.Disabled is { } disabled) found.Disabled = disabled;
        if (request.Ingestion is not null) found.Ingestion = request.Ingestion.ToSettings();
        if (request.Guides is not null) found.Guides = request.Guides.ToSettings();
        if (request.Agent is not null) found.Agent = request.Agent.ToSettings();
        await service.SaveAsync(cancellationToken);
        return TypedResults.Ok(ApplicationResponse.From(found, http));
    }

    /// <summary>Ingestion caches applications and keys; any change to a subscription drops its entries.</summary>
    private static async ValueTask<object?> ForgetCachedApplicationsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && long.TryParse(http.Request.RouteValues[SubscriptionAccessFilter.RouteKey]?.ToString(), out var id))
            http.RequestServices.GetRequiredService<ApplicationDirectory>().ForgetSubscription(id);
        return result;
    }

    private static List<string> NormalizeHosts(IEnumerable<string>? hosts) =>
        hosts is null ? [] : [.. hosts.Select(h => h.Trim().ToLowerInvariant()).Distinct()];
}

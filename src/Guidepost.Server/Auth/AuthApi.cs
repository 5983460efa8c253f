using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Guidepost.Config.Entities;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Server.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guidepost.Server.Auth;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LoginRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Username,
    [property: Required, StringLength(256, MinimumLength = 1)] string Password);

public sealed record MembershipResponse(long SubscriptionId, Role Role);

/// <summary>Who the caller is: a person (with their roles) or an integration key (with its scope).</summary>
public sealed record CallerResponse(
    string Kind, string? Id, string? Username, bool IsInstanceAdmin, IReadOnlyList<MembershipResponse> Memberships, KeyAccess? Access);

/// <summary>Password login with a session cookie, logout, and "who am I".</summary>
internal static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", (Delegate)LogoutAsync);
        auth.MapGet("/me", MeAsync).RequireAuthorization();
    }

    private static async Task<Results<Ok<CallerResponse>, JsonHttpResult<ErrorBody>>> LoginAsync(
        LoginRequest request, HttpContext http, UserService users, CancellationToken cancellationToken)
    {
        var outcome = await users.LoginAsync(request.Username, request.Password, cancellationToken);
        switch (outcome.Status)
        {
            case LoginStatus.LockedOut:
                http.Response.Headers.RetryAfter = ((int)UserService.LockoutDuration.TotalSeconds).ToString();
                return ApiErrors.Of(StatusCodes.Status429TooManyRequests, "Too many failed logins",
                    $"This account is locked for {UserService.LockoutDuration.TotalMinutes:0} minutes after {UserService.MaxFailedLogins} failed logins.");
            case LoginStatus.WrongCredentials:
                return ApiErrors.Unauthorized("Wrong username or password.");
        }

        var user = outcome.User!;
        var identity = new ClaimsIdentity(
        [
            new Claim(GuidepostClaims.Kind, GuidepostClaims.UserKind),
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Name, user.Username),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(Describe(user));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CallerResponse>, JsonHttpResult<ErrorBody>>> MeAsync(
        ClaimsPrincipal caller, SubscriptionAccess access, CancellationToken cancellationToken)
    {
        if (caller.KeyScope() is { } scope)
            return TypedResults.Ok(new CallerResponse(GuidepostClaims.KeyKind, caller.FindFirstValue(ClaimTypes.NameIdentifier),
                null, false, [new MembershipResponse(scope.SubscriptionId, scope.Access == KeyAccess.ReadWrite ? Role.Admin : Role.Viewer)],
                scope.Access));
        return await access.UserAsync(caller, cancellationToken) is { } user
            ? TypedResults.Ok(Describe(user))
            : ApiErrors.Unauthorized("This session's user no longer exists; log in again.");
    }

    private static CallerResponse Describe(User user) => new(
        GuidepostClaims.UserKind, user.Id.ToString(), user.Username, user.IsInstanceAdmin,
        [.. user.Memberships.Select(m => new MembershipResponse(m.SubscriptionId, m.Role))], null);
}

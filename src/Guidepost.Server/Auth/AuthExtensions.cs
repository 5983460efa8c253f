using Guidepost.Server.Errors;
using Guidepost.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace Guidepost.Server.Auth;

/// <summary>Two ways in: API clients send an integration key; people log in and carry a session cookie.</summary>
internal static class AuthExtensions
{
    private const string EitherScheme = "KeyOrCookie";
    public const string CookieName = "guidepost_session";

    public static void AddGuidepostAuth(this IServiceCollection services, GuidepostOptions options)
    {
        // Cookie keys live with the data, so sessions survive a restart.
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(options.DataPath("keys")))
            .SetApplicationName("Guidepost");

        // No default authenticate scheme: requests are authenticated only where an endpoint demands it
        // (the default policy below), so the agent's beacons never pay for a key or cookie check.
        services.AddAuthentication(options => options.DefaultChallengeScheme = options.DefaultForbidScheme = EitherScheme)
            .AddPolicyScheme(EitherScheme, "Integration key or session cookie", policy =>
                policy.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(IntegrationKeyAuthentication.Header)
                    ? IntegrationKeyAuthentication.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, IntegrationKeyAuthentication>(IntegrationKeyAuthentication.SchemeName, null)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                // Strict keeps the cookie off cross-site requests, which is what stops CSRF here.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => WriteAsync(context.Response, StatusCodes.Status401Unauthorized,
                    new ErrorBody("Unauthorized", "Send an integration key in the x-pendo-integration-key header, or log in."));
                cookie.Events.OnRedirectToAccessDenied = context => WriteAsync(context.Response, StatusCodes.Status403Forbidden,
                    new ErrorBody("Forbidden", "Your account may not do this."));
            });
        services.AddAuthorization(options => options.DefaultPolicy =
            new AuthorizationPolicyBuilder(EitherScheme).RequireAuthenticatedUser().Build());
        services.AddScoped<SubscriptionAccess>();
    }

    private static Task WriteAsync(HttpResponse response, int status, ErrorBody body)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(body);
    }
}

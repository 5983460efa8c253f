using System.Security.Claims;
using System.Text.Encodings.Web;
using Guidepost.Config.Tenancy;
using Guidepost.Server.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Guidepost.Server.Auth;

/// <summary>Authenticates API clients by Pendo's <c>x-pendo-integration-key</c> header.</summary>
internal sealed class IntegrationKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IntegrationKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "IntegrationKey";
    public const string Header = "x-pendo-integration-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values)) return AuthenticateResult.NoResult();
        var secret = values.ToString().Trim();
        if (secret.Length == 0) return AuthenticateResult.Fail("The x-pendo-integration-key header is empty.");

        var key = await keys.VerifyAsync(secret, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The x-pendo-integration-key header does not name a valid integration key.");

        var identity = new ClaimsIdentity(
        [
            new Claim(GuidepostClaims.Kind, GuidepostClaims.KeyKind),
            new Claim(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(GuidepostClaims.Subscription, key.SubscriptionId.ToString()),
            new Claim(GuidepostClaims.Access, key.Access.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Response.WriteAsJsonAsync(new ErrorBody("Unauthorized",
            result.Failure?.Message ?? "Send an integration key in the x-pendo-integration-key header, or log in."));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new ErrorBody("Forbidden", "This integration key may not do this."));
    }
}

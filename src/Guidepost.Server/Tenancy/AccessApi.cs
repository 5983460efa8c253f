using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guidepost.Server.Tenancy;

/// <summary>Who may act in a subscription: its integration keys and its users.</summary>
internal static class AccessApi
{
    public static void MapAccessApi(this RouteGroupBuilder subscription)
    {
        subscription.MapGet("/integration-keys", ListKeysAsync).RequireRole(Role.Admin);
        subscription.MapPost("/integration-keys", CreateKeyAsync).RequireRole(Role.Admin);
        subscription.MapDelete("/integration-keys/{keyId:guid}", DeleteKeyAsync).RequireRole(Role.Admin);
        subscription.MapGet("/users", ListUsersAsync).RequireRole(Role.Admin);
        subscription.MapPost("/users", CreateUserAsync).RequireRole(Role.Admin);
    }

    private static async Task<Ok<List<IntegrationKeyResponse>>> ListKeysAsync(
        long subscriptionId, IntegrationKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(subscriptionId, cancellationToken)).ConvertAll(IntegrationKeyResponse.From));

    private static async Task<Created<CreatedIntegrationKeyResponse>> CreateKeyAsync(
        long subscriptionId, CreateIntegrationKeyRequest request, IntegrationKeyService keys, CancellationToken cancellationToken)
    {
        var (key, secret) = await keys.CreateAsync(
            subscriptionId, request.Name.Trim(), request.Access ?? KeyAccess.ReadOnly, secret: null, cancellationToken);
        return TypedResults.Created(
            $"/api/admin/subscriptions/{subscriptionId}/integration-keys/{key.Id}",
            new CreatedIntegrationKeyResponse(key.Id, key.Name, key.Access, key.Hint, key.CreatedAt, secret));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorBody>>> DeleteKeyAsync(
        long subscriptionId, Guid keyId, IntegrationKeyService keys, CancellationToken cancellationToken) =>
        await keys.DeleteAsync(subscriptionId, keyId, cancellationToken)
            ? TypedResults.NoContent()
            : ApiErrors.NotFound($"Integration key {keyId} does not exist in subscription {subscriptionId}.");

    private static async Task<Ok<List<MemberResponse>>> ListUsersAsync(
        long subscriptionId, UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok((await users.ListMembersAsync(subscriptionId, cancellationToken)).ConvertAll(m => MemberResponse.From(m.User, m.Role)));

    private static async Task<Results<Created<MemberResponse>, JsonHttpResult<ErrorBody>>> CreateUserAsync(
        long subscriptionId, CreateUserRequest request, UserService users, CancellationToken cancellationToken)
    {
        var role = request.Role ?? Role.Viewer;
        var created = await users.CreateAsync(request.Username, request.Password, subscriptionId, role, isInstanceAdmin: false, cancellationToken);
        return created is null
            ? ApiErrors.Conflict($"The username '{request.Username.Trim()}' is taken.")
            : TypedResults.Created($"/api/admin/subscriptions/{subscriptionId}/users/{created.Id}", MemberResponse.From(created, role));
    }
}

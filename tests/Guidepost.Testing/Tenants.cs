using System.Net;

namespace Guidepost.Testing;

/// <summary>A subscription made for one test, with a read-write and a read-only key.</summary>
public sealed record Tenant(long Id, string ReadWriteKey, string ReadOnlyKey);

/// <summary>Creates subscriptions through the admin API as the instance administrator would.</summary>
public static class Tenants
{
    public static async Task<Tenant> CreateAsync(HttpClient instanceAdmin, string name)
    {
        var subscription = await (await instanceAdmin.PostJsonAsync("/api/admin/subscriptions", new { name }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = subscription.GetProperty("id").GetInt64();
        var readWrite = await (await instanceAdmin.PostJsonAsync($"/api/admin/subscriptions/{id}/integration-keys", new { name = "rw", access = "read-write" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var readOnly = await (await instanceAdmin.PostJsonAsync($"/api/admin/subscriptions/{id}/integration-keys", new { name = "ro", access = "read-only" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return new Tenant(id, readWrite.GetProperty("secret").GetString()!, readOnly.GetProperty("secret").GetString()!);
    }
}

/// <summary>The application the first start created.</summary>
public sealed record DefaultApplication(long SubscriptionId, long ApplicationId, string ApiKey);

public static class DefaultApplications
{
    public static async Task<DefaultApplication> FindAsync(HttpClient keyClient)
    {
        var subscriptions = await (await keyClient.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var subscriptionId = subscriptions[0].GetProperty("id").GetInt64();
        var applications = await (await keyClient.GetAsync($"/api/admin/subscriptions/{subscriptionId}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return new DefaultApplication(subscriptionId, applications[0].GetProperty("id").GetInt64(), applications[0].GetProperty("apiKey").GetString()!);
    }
}

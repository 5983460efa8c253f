using System.Net;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Server.Tests;

/// <summary>What was accepted before a restart is there after it.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TestDirectory _data = new();
    private readonly Bootstrap _bootstrap = Bootstrap.NewRandom();

    [Fact]
    public async Task Tenancy_survives_a_restart()
    {
        Tenant tenant;
        string before;
        using (var app = new GuidepostApp(_data.Path, _bootstrap.Settings))
        {
            var admin = await app.LoggedInClientAsync(Bootstrap.AdminUsername, _bootstrap.AdminPassword);
            tenant = await Tenants.CreateAsync(admin, "Durable");
            await (await admin.PatchJsonAsync($"/api/admin/subscriptions/{tenant.Id}", new { timeZone = "America/New_York", region = "us-east" }))
                .ShouldBeJsonAsync(HttpStatusCode.OK);
            await (await admin.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/applications",
                new { name = "iOS", platform = "mobile", stagingHosts = new[] { "Staging.Example.com", "10.0.0.7" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
            await (await admin.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/users", new { username = "kept", password = "kept-password", role = "editor" }))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            before = await SnapshotAsync(app.KeyClient(tenant.ReadWriteKey), tenant.Id);
        }

        using var restarted = new GuidepostApp(_data.Path, _bootstrap.Settings);
        var after = await SnapshotAsync(restarted.KeyClient(tenant.ReadWriteKey), tenant.Id);
        after.ShouldBe(before);
        after.ShouldContain("\"timeZone\":\"America/New_York\"");
        after.ShouldContain("\"stagingHosts\":[\"staging.example.com\",\"10.0.0.7\"]");
        after.ShouldContain("\"platform\":\"mobile\"");
        (await restarted.LoggedInClientAsync("kept", "kept-password")).ShouldNotBeNull();
        await (await restarted.KeyClient(tenant.ReadOnlyKey).GetAsync($"/api/admin/subscriptions/{tenant.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_session_survives_a_restart()
    {
        string cookie;
        using (var app = new GuidepostApp(_data.Path, _bootstrap.Settings))
        {
            var response = await app.CreateClient().PostJsonAsync("/api/auth/login",
                new { username = Bootstrap.AdminUsername, password = _bootstrap.AdminPassword });
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        }

        using var restarted = new GuidepostApp(_data.Path, _bootstrap.Settings);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { { "Cookie", cookie } } };
        var me = await (await restarted.CreateClient().SendAsync(request)).ShouldBeJsonAsync(HttpStatusCode.OK);
        me.GetProperty("username").GetString().ShouldBe(Bootstrap.AdminUsername);
    }

    [Fact]
    public async Task Events_survive_a_restart()
    {
        var written = Enumerable.Range(0, 50).Select(i => new StoredEvent
        {
            SubscriptionId = 1, ApplicationId = 2, Type = i % 2 == 0 ? "load" : "click",
            BrowserTime = 1_700_000_000_000 + i * 1000, ServerTime = 1_700_000_000_500 + i * 1000,
            VisitorId = $"visitor-{i % 7}", AccountId = "acme", Url = $"https://app.example.com/page/{i}",
        }).ToList();
        using (var app = new GuidepostApp(_data.Path, _bootstrap.Settings))
            await app.Services.GetRequiredService<IEventStore>().AppendAsync(IngestBatch.Of(written), CancellationToken.None);

        using var restarted = new GuidepostApp(_data.Path, _bootstrap.Settings);
        var read = await restarted.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(1, 2, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        read.ShouldBe(written);
    }

    private static async Task<string> SnapshotAsync(HttpClient client, long subscriptionId)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "", "/applications", "/integration-keys", "/users" })
            parts.Add((await (await client.GetAsync($"/api/admin/subscriptions/{subscriptionId}{path}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetRawText());
        return string.Join("\n", parts);
    }

    public void Dispose() => _data.Dispose();
}

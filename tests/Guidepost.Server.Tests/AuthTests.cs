using System.Net;
using Guidepost.Testing;

namespace Guidepost.Server.Tests;

public sealed class AuthTests : IAsyncLifetime
{
    private readonly TestDirectory _data = new();
    private readonly Bootstrap _bootstrap = Bootstrap.NewRandom();
    private GuidepostApp _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _app = new GuidepostApp(_data.Path, _bootstrap.Settings);
        _admin = await _app.LoggedInClientAsync(Bootstrap.AdminUsername, _bootstrap.AdminPassword);
    }

    [Theory]
    [InlineData(null, "x-pendo-integration-key")]
    [InlineData("gpk_not-a-real-key-at-all-0000000000000000000", "does not name a valid integration key")]
    public async Task A_missing_or_wrong_key_is_refused_with_a_json_401(string? key, string detailMentions)
    {
        var client = _app.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.TryAddWithoutValidation(GuidepostApp.IntegrationKeyHeader, key);

        var detail = await (await client.GetAsync("/api/admin/subscriptions")).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);
        detail.ShouldContain(detailMentions);
    }

    [Fact]
    public async Task A_key_of_one_subscription_never_sees_or_changes_another()
    {
        var a = await Tenants.CreateAsync(_admin, "Tenant A");
        var b = await Tenants.CreateAsync(_admin, "Tenant B");
        var bKey = _app.KeyClient(b.ReadWriteKey);
        var bApp = await (await bKey.PostJsonAsync($"/api/admin/subscriptions/{b.Id}/applications", new { name = "B app" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var bAppId = bApp.GetProperty("id").GetInt64();
        var bKeys = await (await bKey.GetAsync($"/api/admin/subscriptions/{b.Id}/integration-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var bKeyId = bKeys[0].GetProperty("id").GetString();

        var aKey = _app.KeyClient(a.ReadWriteKey);
        var visible = await (await aKey.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        visible.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ShouldBe([a.Id]);

        await (await aKey.GetAsync($"/api/admin/subscriptions/{b.Id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.GetAsync($"/api/admin/subscriptions/{b.Id}/applications")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.GetAsync($"/api/admin/subscriptions/{b.Id}/applications/{bAppId}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.GetAsync($"/api/admin/subscriptions/{a.Id}/applications/{bAppId}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.PatchJsonAsync($"/api/admin/subscriptions/{b.Id}", new { name = "taken over" })).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.PatchJsonAsync($"/api/admin/subscriptions/{a.Id}/applications/{bAppId}", new { disabled = true }))
            .ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.PostJsonAsync($"/api/admin/subscriptions/{b.Id}/applications", new { name = "planted" })).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.PostJsonAsync($"/api/admin/subscriptions/{b.Id}/users", new { username = "spy", password = "long-enough-1" }))
            .ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await aKey.DeleteAsync($"/api/admin/subscriptions/{a.Id}/integration-keys/{bKeyId}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);

        // B is untouched: its name, its single application, and its key all still work.
        var bSubscription = await (await bKey.GetAsync($"/api/admin/subscriptions/{b.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        bSubscription.GetProperty("name").GetString().ShouldBe("Tenant B");
        var bApps = await (await bKey.GetAsync($"/api/admin/subscriptions/{b.Id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        bApps.GetArrayLength().ShouldBe(1);
        bApps[0].GetProperty("disabled").GetBoolean().ShouldBeFalse();
        var bUsers = await (await bKey.GetAsync($"/api/admin/subscriptions/{b.Id}/users")).ShouldBeJsonAsync(HttpStatusCode.OK);
        bUsers.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_read_only_key_reads_but_cannot_write()
    {
        var tenant = await Tenants.CreateAsync(_admin, "Read only");
        var client = _app.KeyClient(tenant.ReadOnlyKey);

        await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/applications", new { name = "x" }))
            .ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        await (await client.PatchJsonAsync($"/api/admin/subscriptions/{tenant.Id}", new { name = "x" })).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}/integration-keys")).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        await (await client.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/integration-keys", new { name = "escalate", access = "read-write" }))
            .ShouldBeErrorAsync(HttpStatusCode.Forbidden);

        var apps = await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        apps.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Only_an_instance_admin_creates_subscriptions()
    {
        var tenant = await Tenants.CreateAsync(_admin, "Tenant");
        await (await _app.KeyClient(tenant.ReadWriteKey).PostJsonAsync("/api/admin/subscriptions", new { name = "mine" }))
            .ShouldBeErrorAsync(HttpStatusCode.Forbidden);

        await (await _admin.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/users", new { username = "owner", password = "owner-password", role = "admin" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var owner = await _app.LoggedInClientAsync("owner", "owner-password");
        await (await owner.PostJsonAsync("/api/admin/subscriptions", new { name = "mine" })).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        var visible = await (await owner.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        visible.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ShouldBe([tenant.Id]);
    }

    [Fact]
    public async Task People_act_within_their_role()
    {
        var tenant = await Tenants.CreateAsync(_admin, "Roles");
        var other = await Tenants.CreateAsync(_admin, "Elsewhere");
        var url = $"/api/admin/subscriptions/{tenant.Id}";
        await (await _admin.PostJsonAsync($"{url}/users", new { username = "Viewer.One", password = "viewer-password" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await _admin.PostJsonAsync($"{url}/users", new { username = "editor", password = "editor-password", role = "editor" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        var viewer = await _app.LoggedInClientAsync("viewer.one", "viewer-password"); // usernames are case-insensitive
        await (await viewer.GetAsync($"{url}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await viewer.PostJsonAsync($"{url}/applications", new { name = "x" })).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        await (await viewer.GetAsync($"{url}/users")).ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        await (await viewer.GetAsync($"/api/admin/subscriptions/{other.Id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);

        var editor = await _app.LoggedInClientAsync("editor", "editor-password");
        await (await editor.PostJsonAsync($"{url}/integration-keys", new { name = "k" })).ShouldBeErrorAsync(HttpStatusCode.Forbidden);

        var members = await (await _admin.GetAsync($"{url}/users")).ShouldBeJsonAsync(HttpStatusCode.OK);
        members.EnumerateArray().Select(m => (m.GetProperty("username").GetString(), m.GetProperty("role").GetString()))
            .ShouldBe([("editor", "editor"), ("viewer.one", "viewer")]);
    }

    [Fact]
    public async Task A_revoked_key_stops_working()
    {
        var tenant = await Tenants.CreateAsync(_admin, "Revoke");
        var client = _app.KeyClient(tenant.ReadOnlyKey);
        await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var keys = await (await _admin.GetAsync($"/api/admin/subscriptions/{tenant.Id}/integration-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var readOnlyId = keys.EnumerateArray().Single(k => k.GetProperty("access").GetString() == "read-only").GetProperty("id").GetString();
        (await _admin.DeleteAsync($"/api/admin/subscriptions/{tenant.Id}/integration-keys/{readOnlyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}")).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);
        await (await _app.KeyClient(tenant.ReadWriteKey).GetAsync($"/api/admin/subscriptions/{tenant.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var tenant = await Tenants.CreateAsync(_admin, "Lockout");
        await (await _admin.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/users", new { username = "target", password = "right-password" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var client = _app.CreateClient();
        for (var i = 0; i < 5; i++)
            await (await client.PostJsonAsync("/api/auth/login", new { username = "target", password = "wrong-" + i })).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);

        var locked = await client.PostJsonAsync("/api/auth/login", new { username = "target", password = "right-password" });
        await locked.ShouldBeErrorAsync(HttpStatusCode.TooManyRequests);
        locked.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        (await _admin.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("/api/auth/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _admin.GetAsync("/api/auth/me")).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }
}

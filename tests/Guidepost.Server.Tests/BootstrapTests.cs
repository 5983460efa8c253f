using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Guidepost.Testing;

namespace Guidepost.Server.Tests;

public sealed partial class BootstrapTests : IDisposable
{
    private readonly TestDirectory _data = new();

    [Fact]
    public async Task Configured_secrets_become_the_first_subscription()
    {
        var bootstrap = Bootstrap.NewRandom();
        using var app = new GuidepostApp(_data.Path, bootstrap.Settings);
        var client = app.KeyClient(bootstrap.IntegrationKey);

        var subscriptions = await (await client.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        subscriptions.GetArrayLength().ShouldBe(1);
        subscriptions[0].GetProperty("name").GetString().ShouldBe("Default");
        subscriptions[0].GetProperty("timeZone").GetString().ShouldBe("UTC");
        var id = subscriptions[0].GetProperty("id").GetInt64();

        var applications = await (await client.GetAsync($"/api/admin/subscriptions/{id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        applications.GetArrayLength().ShouldBe(1);
        applications[0].GetProperty("apiKey").GetString().ShouldBe(bootstrap.ApiKey);
        applications[0].GetProperty("platform").GetString().ShouldBe("web");

        var admin = await app.LoggedInClientAsync(Bootstrap.AdminUsername, bootstrap.AdminPassword);
        var me = await (await admin.GetAsync("/api/auth/me")).ShouldBeJsonAsync(HttpStatusCode.OK);
        me.GetProperty("isInstanceAdmin").GetBoolean().ShouldBeTrue();
        me.GetProperty("memberships")[0].GetProperty("role").GetString().ShouldBe("admin");

        app.BootstrapOutput.ToString().ShouldBeEmpty("nothing was generated, so nothing is printed");
    }

    [Fact]
    public async Task Generated_secrets_are_printed_once_and_work()
    {
        string apiKey, integrationKey, password;
        long subscriptionId;
        using (var first = new GuidepostApp(_data.Path))
        {
            _ = first.Server; // start
            var output = first.BootstrapOutput.ToString();
            apiKey = ApiKeyLine().Match(output).Groups[1].Value;
            integrationKey = IntegrationKeyLine().Match(output).Groups[1].Value;
            password = AdminLine().Match(output).Groups[1].Value;
            integrationKey.ShouldStartWith("gpk_");
            password.Length.ShouldBeGreaterThanOrEqualTo(16);

            var subscriptions = await (await first.KeyClient(integrationKey).GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
            subscriptionId = subscriptions[0].GetProperty("id").GetInt64();
            (await first.LoggedInClientAsync("admin", password)).ShouldNotBeNull();
        }

        using var second = new GuidepostApp(_data.Path);
        var client = second.KeyClient(integrationKey);
        var again = await (await client.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        again.GetArrayLength().ShouldBe(1);
        again[0].GetProperty("id").GetInt64().ShouldBe(subscriptionId);
        var applications = await (await client.GetAsync($"/api/admin/subscriptions/{subscriptionId}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        applications[0].GetProperty("apiKey").GetString().ShouldBe(apiKey);
        second.BootstrapOutput.ToString().ShouldBeEmpty("a restart generates and prints nothing");
    }

    [Fact]
    public async Task A_restart_with_other_settings_changes_nothing()
    {
        var original = Bootstrap.NewRandom();
        using (var first = new GuidepostApp(_data.Path, original.Settings)) _ = first.Server;

        var other = Bootstrap.NewRandom();
        using var second = new GuidepostApp(_data.Path, other.Settings);
        (await second.KeyClient(other.IntegrationKey).GetAsync("/api/admin/subscriptions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var client = second.KeyClient(original.IntegrationKey);
        var subscriptions = await (await client.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        subscriptions.GetArrayLength().ShouldBe(1);
        var id = subscriptions[0].GetProperty("id").GetInt64();
        var applications = await (await client.GetAsync($"/api/admin/subscriptions/{id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        applications.GetArrayLength().ShouldBe(1);
        applications[0].GetProperty("apiKey").GetString().ShouldBe(original.ApiKey);
    }

    [Fact]
    public async Task Secrets_are_stored_only_as_hashes()
    {
        var bootstrap = Bootstrap.NewRandom();
        string createdSecret;
        using (var app = new GuidepostApp(_data.Path, bootstrap.Settings))
        {
            var client = app.KeyClient(bootstrap.IntegrationKey);
            var id = (await (await client.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetInt64();
            var created = await (await client.PostJsonAsync($"/api/admin/subscriptions/{id}/integration-keys", new { name = "etl" }))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            createdSecret = created.GetProperty("secret").GetString()!;

            var listed = await (await client.GetAsync($"/api/admin/subscriptions/{id}/integration-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
            listed.GetRawText().ShouldNotContain(createdSecret);
            listed.GetRawText().ShouldNotContain(bootstrap.IntegrationKey);
        }

        var stored = Encoding.UTF8.GetString(_data.ReadAllBytes("config.db*"));
        foreach (var secret in new[] { bootstrap.IntegrationKey, createdSecret, bootstrap.AdminPassword })
            stored.ShouldNotContain(secret);
        stored.ShouldContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(createdSecret))));
    }

    [GeneratedRegex(@"application API key:\s+(\S+)")]
    private static partial Regex ApiKeyLine();

    [GeneratedRegex(@"integration key:\s+(\S+)")]
    private static partial Regex IntegrationKeyLine();

    [GeneratedRegex(@"admin login:\s+admin / (\S+)")]
    private static partial Regex AdminLine();

    public void Dispose() => _data.Dispose();
}

using System.Net;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Server.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly TestDirectory _data = new();

    [Fact]
    public async Task An_empty_folder_becomes_a_healthy_installation()
    {
        using var app = new GuidepostApp(_data.Path);
        var response = await app.CreateClient().GetAsync("/health");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        health.RootElement.GetProperty("status").GetString().ShouldBe("healthy");
        var stores = health.RootElement.GetProperty("stores");
        stores.GetProperty("config").GetProperty("status").GetString().ShouldBe("healthy");
        stores.GetProperty("config").GetProperty("provider").GetString().ShouldBe("sqlite");
        stores.GetProperty("events").GetProperty("status").GetString().ShouldBe("healthy");
        File.Exists(_data.File("config.db")).ShouldBeTrue();
        File.Exists(_data.File("events.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api()
    {
        using var app = new GuidepostApp(_data.Path);
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/admin/subscriptions");
        paths.ShouldContain("/api/admin/subscriptions/{subscriptionId}/applications");
        paths.ShouldContain("/api/admin/subscriptions/{subscriptionId}/integration-keys");
        paths.ShouldContain("/api/auth/login");
    }

    [Fact]
    public async Task Each_request_is_logged_with_structured_fields()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new GuidepostApp(_data.Path, logging: logs);
        await app.CreateClient().GetAsync("/health");

        // The combined entry is written as the response completes, which may be just after the client sees it.
        var entry = await logs.WaitForAsync(e => e.Category.EndsWith("HttpLoggingMiddleware", StringComparison.Ordinal)
            && e.Fields.GetValueOrDefault("Path")?.ToString() == "/health");
        entry.Fields["Method"]?.ToString().ShouldBe("GET");
        Convert.ToInt32(entry.Fields["StatusCode"]).ShouldBe(200);
        entry.Fields.ShouldContainKey("Duration");
    }

    public void Dispose() => _data.Dispose();
}

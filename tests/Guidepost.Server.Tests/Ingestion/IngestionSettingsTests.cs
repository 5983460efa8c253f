using System.Net;
using System.Text;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Guidepost.Testing.AgentPayloads;

namespace Guidepost.Server.Tests.Ingestion;

/// <summary>Identity, metadata and the per-application settings that change what is stored.</summary>
public sealed class IngestionSettingsTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;
    private IEventStore Store => _gp.App.Services.GetRequiredService<IEventStore>();

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    private async Task SendAsync(params object[] events)
    {
        var response = await _gp.App.CreateClient().GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={Jzb(events)}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SetIngestionAsync(object ingestion) =>
        _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}", new { ingestion });

    private async Task<List<string>> StoredVisitorsAsync() =>
        [.. (await Store.ScanAsync(new EventScan(_gp.Target.SubscriptionId, _gp.Target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync())
            .Select(e => e.VisitorId)];

    [Fact]
    public async Task Meta_events_set_visitor_and_account_metadata_latest_first()
    {
        await SendAsync(Meta("visitor-1", T0 + 5000, 1, new { id = "visitor-1", email = "new@acme.test", full_name = "V One" }, new { id = "account-1", name = "Acme" }));
        await SendAsync(Meta("visitor-1", T0, 0, new { id = "visitor-1", email = "old@acme.test", plan = "pro" }, new { id = "account-1", name = "Acme Old" }));

        var visitor = (await Store.FindEntityAsync(_gp.Target.SubscriptionId, EntityKind.Visitor, "visitor-1", CancellationToken.None))!;
        visitor.Metadata["agent"].ShouldBe(new Dictionary<string, string>
        {
            ["email"] = "\"new@acme.test\"", ["full_name"] = "\"V One\"", ["plan"] = "\"pro\"",
        });
        (visitor.FirstSeen, visitor.LastSeen).ShouldBe((T0, T0 + 5000));
        var account = (await Store.FindEntityAsync(_gp.Target.SubscriptionId, EntityKind.Account, "account-1", CancellationToken.None))!;
        account.Metadata["agent"]["name"].ShouldBe("\"Acme\"");
    }

    [Fact]
    public async Task Identify_links_the_anonymous_visitor()
    {
        await SendAsync(Load("_PENDO_T_x8Kq2LmN0pQ", "https://app.example/", T0, 0, account: null), Identify("alice", "_PENDO_T_x8Kq2LmN0pQ", T0 + 10, 1));
        (await Store.FindIdentifiedVisitorAsync(_gp.Target.SubscriptionId, "_PENDO_T_x8Kq2LmN0pQ", CancellationToken.None)).ShouldBe("alice");
    }

    [Fact]
    public async Task Pii_fields_are_never_written_when_excluded()
    {
        await (await SetIngestionAsync(new { excludePii = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await SendAsync(Meta("visitor-9", T0, 0, new { id = "visitor-9", email = "secret.person@private.test", role = "admin" }, new { id = "account-1" }));

        var visitor = (await Store.FindEntityAsync(_gp.Target.SubscriptionId, EntityKind.Visitor, "visitor-9", CancellationToken.None))!;
        visitor.Metadata["agent"].Keys.ShouldBe(["role"]);
        _gp.App.Dispose(); // flush and close the files, then look at every byte written
        Encoding.UTF8.GetString(_gp.Data.ReadAllBytes("events.db*")).ShouldNotContain("secret.person@private.test");
    }

    [Fact]
    public async Task Excluded_visitors_accounts_and_addresses_are_dropped()
    {
        var settings = await (await SetIngestionAsync(new
        {
            excludedVisitorIds = new[] { "qa-bot" }, excludedAccountIds = new[] { "internal" },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        settings.GetProperty("ingestion").GetProperty("excludedVisitorIds")[0].GetString().ShouldBe("qa-bot");

        await SendAsync(Load("qa-bot", "https://a/", T0, 0), Load("bob", "https://a/", T0, 1, account: "internal"), Load("carol", "https://a/", T0, 2));
        (await StoredVisitorsAsync()).ShouldBe(["carol"]);
    }

    [Fact]
    public async Task Events_from_excluded_addresses_are_dropped()
    {
        // A real socket, so the server sees the client's address (127.0.0.1).
        await using var gp = await TestInstallation.StartAsync(kestrel: true);
        var settings = $"/api/admin/subscriptions/{gp.Target.SubscriptionId}/applications/{gp.Target.ApplicationId}";
        async Task SendAsync(string visitor) =>
            (await gp.App.CreateClient().GetAsync($"/data/ptm.gif/{gp.Target.ApiKey}?jzb={Jzb(Load(visitor, "https://a/", T0, 0))}"))
                .StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await gp.Admin.PatchJsonAsync(settings, new { ingestion = new { excludedIpRanges = new[] { "10.0.0.0/8", "127.0.0.0/8" } } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        await SendAsync("from-the-office");
        await (await gp.Admin.PatchJsonAsync(settings, new { ingestion = new { excludedIpRanges = new[] { "10.0.0.0/8" } } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        await SendAsync("from-elsewhere");

        var stored = await gp.App.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(gp.Target.SubscriptionId, gp.Target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        stored.Select(e => (e.VisitorId, e.RemoteIp)).ShouldBe([("from-elsewhere", "127.0.0.1")]);
    }

    [Fact]
    public async Task Anonymous_collection_can_be_turned_off()
    {
        await (await SetIngestionAsync(new { collectAnonymousVisitors = false })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await SendAsync(Load("_PENDO_T_abcdefghijk", "https://a/", T0, 0, account: null), Load("dave", "https://a/", T0, 1));
        (await StoredVisitorsAsync()).ShouldBe(["dave"]);
    }

    [Theory]
    [InlineData("""{"ingestion": {"excludedIpRanges": ["10.0.0.0/33"]}}""", "10.0.0.0/33")]
    [InlineData("""{"ingestion": {"piiFields": ["e-mail"]}}""", "e-mail")]
    [InlineData("""{"ingestion": {"excludePii": "yes"}}""", "$.ingestion.excludePii")]
    [InlineData("""{"ingestion": {"dropEverything": true}}""", "dropEverything")]
    public async Task Bad_settings_are_refused(string body, string mentions)
    {
        var response = await _gp.Admin.PatchAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}",
            new StringContent(body, Encoding.UTF8, "application/json"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(mentions);
    }

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();
}

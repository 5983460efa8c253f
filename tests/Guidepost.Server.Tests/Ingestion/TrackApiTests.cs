using System.Net;
using System.Text;
using Guidepost.Core.Events;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Server.Tests.Ingestion;

/// <summary>The server-side Track API, <c>POST /data/track</c>, validated as Pendo documents it.</summary>
public sealed class TrackApiTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;
    private long _now;

    public async Task InitializeAsync()
    {
        _gp = await TestInstallation.StartAsync();
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    private Task<HttpResponseMessage> TrackAsync(string secret, string body, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/data/track" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(GuidepostApp.IntegrationKeyHeader, secret);
        return _gp.App.CreateClient().SendAsync(request);
    }

    private string Body(long? timestamp = null, string properties = """{"plan":"pro","seats":5}""", string visitor = "user-1") => $$$"""
        {"type":"track","event":"Registered","visitorId":"{{{visitor}}}","accountId":"acct-1","timestamp":{{{timestamp ?? _now - 60_000}}},
         "properties":{{{properties}}},
         "context":{"ip":"76.253.187.23","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                    "url":"https://app.example/signup","title":"Sign up"}}
        """;

    private async Task<List<StoredEvent>> StoredAsync(long applicationId) =>
        await _gp.App.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(_gp.Target.SubscriptionId, applicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync();

    [Fact]
    public async Task An_applications_track_secret_writes_to_that_application()
    {
        var created = await (await _gp.Admin.PostJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications", new { name = "Backend" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var applicationId = created.GetProperty("id").GetInt64();
        var secret = created.GetProperty("trackSecret").GetString()!;

        (await TrackAsync(secret, Body())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TrackAsync(secret, Body())).StatusCode.ShouldBe(HttpStatusCode.OK, "a retried request is accepted and counted once");

        var e = (await StoredAsync(applicationId)).ShouldHaveSingleItem();
        (e.Type, e.Source, e.TrackName, e.VisitorId, e.AccountId).ShouldBe(("track", EventSource.TrackApi, "Registered", "user-1", "acct-1"));
        (e.BrowserTime, e.Properties, e.Url, e.Title, e.RemoteIp).ShouldBe((_now - 60_000, """{"plan":"pro","seats":5}""", "https://app.example/signup", "Sign up", "76.253.187.23"));
        (e.Browser, e.BrowserVersion, e.Os).ShouldBe(("Safari", "17", "macOS"));
        (await StoredAsync(_gp.Target.ApplicationId)).ShouldBeEmpty();

        var rotated = await (await _gp.Admin.PostAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{applicationId}/track-secret", null))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await TrackAsync(secret, Body(visitor: "user-2"))).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);
        (await TrackAsync(rotated.GetProperty("trackSecret").GetString()!, Body(visitor: "user-2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_read_write_integration_key_writes_to_the_only_application()
    {
        (await TrackAsync(_gp.Bootstrap.IntegrationKey, Body())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StoredAsync(_gp.Target.ApplicationId)).ShouldHaveSingleItem();

        await (await _gp.Admin.PostJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications", new { name = "Second" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        (await (await TrackAsync(_gp.Bootstrap.IntegrationKey, Body(visitor: "user-3"))).ShouldBeErrorAsync(HttpStatusCode.Unauthorized)).ShouldContain("appId");
        (await TrackAsync(_gp.Bootstrap.IntegrationKey, Body(visitor: "user-3"), $"?appId={_gp.Target.ApplicationId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StoredAsync(_gp.Target.ApplicationId)).Count.ShouldBe(2);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{"type":"page","event":"x","visitorId":"v","timestamp":{now}}""", "type must be \"track\"" },
        { """{"type":"track","visitorId":"v","timestamp":{now}}""", "event is required" },
        { """{"type":"track","event":"x","timestamp":{now}}""", "visitorId is required" },
        { """{"type":"track","event":"x","visitorId":"v"}""", "timestamp is required" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{old}}""", "more than 7 days old" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{future}}""", "in the future" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":true}""", "epoch milliseconds" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"properties":{"9lives":1}}""", "'9lives' is invalid" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"properties":{"__sg__":1}}""", "'__sg__' is invalid" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"properties":{"a_property_name_longer_than_32_chars":1}}""", "is invalid" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"properties":{"big":"{600}"}}""", "limit is 512" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"properties":[1]}""", "properties must be an object" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},"context":{"ip":"not-an-ip"}}""", "context.ip" },
        { """{"type":"track","event":"x","visitorId":"v","timestamp":{now},""", "Error unmarshalling track event data" },
        { """[{"type":"track"}]""", "JSON object" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_track_events_are_refused_with_the_reason(string template, string mentions)
    {
        var body = template.Replace("{now}", _now.ToString()).Replace("{old}", (_now - 8L * 86_400_000).ToString())
            .Replace("{future}", (_now + 3_600_000).ToString()).Replace("{600}", new string('x', 600));
        (await (await TrackAsync(_gp.Bootstrap.IntegrationKey, body)).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(mentions);
        (await StoredAsync(_gp.Target.ApplicationId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_or_wrong_secret_is_a_401() =>
        await (await TrackAsync("not-a-secret-of-anything", Body())).ShouldBeErrorAsync(HttpStatusCode.Unauthorized);

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();
}

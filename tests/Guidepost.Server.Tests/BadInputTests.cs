using System.Net;
using System.Text;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Server.Tests;

/// <summary>Every mistake a client can make gets a 4xx JSON error that says what was wrong.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TestDirectory _data = new();
    private readonly Bootstrap _bootstrap = Bootstrap.NewRandom();
    private GuidepostApp _app = null!;
    private HttpClient _client = null!;
    private string _subscription = null!;

    public async Task InitializeAsync()
    {
        _app = new GuidepostApp(_data.Path, _bootstrap.Settings);
        _client = await _app.LoggedInClientAsync(Bootstrap.AdminUsername, _bootstrap.AdminPassword);
        var subscriptions = await (await _client.GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        _subscription = $"/api/admin/subscriptions/{subscriptions[0].GetProperty("id").GetInt64()}";
    }

    public static TheoryData<string, string, string, string?, HttpStatusCode, string> Cases => new()
    {
        // name, method, path ({s} = the subscription), body, expected status, a word the detail must contain
        { "malformed JSON", "POST", "{s}/applications", """{"name": "x",""", HttpStatusCode.BadRequest, "JSON" },
        { "not an object", "POST", "{s}/applications", "[1, 2]", HttpStatusCode.BadRequest, "JSON object" },
        { "empty body", "POST", "{s}/applications", "", HttpStatusCode.BadRequest, "body" },
        { "missing name", "POST", "{s}/applications", "{}", HttpStatusCode.BadRequest, "name" },
        { "over-long name", "POST", "{s}/applications", $$"""{"name": "{{new string('n', 201)}}"}""", HttpStatusCode.BadRequest, "name" },
        { "unknown field", "POST", "{s}/applications", """{"name": "x", "colour": "red"}""", HttpStatusCode.BadRequest, "colour" },
        { "unknown platform", "POST", "{s}/applications", """{"name": "x", "platform": "desktop"}""", HttpStatusCode.BadRequest, "$.platform" },
        { "wrong type", "POST", "{s}/applications", """{"name": 42}""", HttpStatusCode.BadRequest, "$.name" },
        { "bad staging host", "POST", "{s}/applications", """{"name": "x", "stagingHosts": ["http://a b/"]}""", HttpStatusCode.BadRequest, "host" },
        { "unknown time zone", "PATCH", "{s}", """{"timeZone": "Mars/Olympus"}""", HttpStatusCode.BadRequest, "Mars/Olympus" },
        { "short password", "POST", "{s}/users", """{"username": "u", "password": "short"}""", HttpStatusCode.BadRequest, "password" },
        { "unknown role", "POST", "{s}/users", """{"username": "u", "password": "long-enough", "role": "owner"}""", HttpStatusCode.BadRequest, "$.role" },
        { "unknown subscription", "GET", "/api/admin/subscriptions/123456789", null, HttpStatusCode.NotFound, "123456789" },
        { "non-numeric subscription", "GET", "/api/admin/subscriptions/abc", null, HttpStatusCode.NotFound, "/api/admin/subscriptions/abc" },
        { "unknown application", "GET", "{s}/applications/987654321", null, HttpStatusCode.NotFound, "987654321" },
        { "unknown application edit", "PATCH", "{s}/applications/987654321", """{"name": "x"}""", HttpStatusCode.NotFound, "987654321" },
        { "unknown key", "DELETE", "{s}/integration-keys/3f2504e0-4f89-11d3-9a0c-0305e82c3301", null, HttpStatusCode.NotFound, "3f2504e0" },
        { "unknown route", "GET", "/api/admin/nothing-here", null, HttpStatusCode.NotFound, "/api/admin/nothing-here" },
        { "wrong method", "DELETE", "/api/admin/subscriptions", null, HttpStatusCode.MethodNotAllowed, "DELETE" },
        { "login without password", "POST", "/api/auth/login", """{"username": "admin"}""", HttpStatusCode.BadRequest, "password" },
        // Found by fuzzing: each was a 500.
        { "null body", "POST", "/api/v1/feature", "null", HttpStatusCode.BadRequest, "JSON body" },
        { "null body of a page", "PUT", "/api/v1/page/x", "null", HttpStatusCode.BadRequest, "JSON body" },
        { "null field spec", "POST", "/api/v1/metadata/schema/visitor/custom", "[null]", HttpStatusCode.BadRequest, "JSON array" },
        { "null funnel step", "POST", "/api/analytics/funnel", """{"from": "2026-01-01", "to": "2026-01-02", "steps": [null, {"type": "page", "id": "x"}]}""", HttpStatusCode.BadRequest, "steps must list" },
        { "null field of a funnel step", "POST", "/api/analytics/funnel", """{"from": "2026-01-01", "to": "2026-01-02", "steps": [{"type": null, "id": "x"}, {"type": "page", "id": "x"}]}""", HttpStatusCode.BadRequest, "$.steps[0].type must not be null" },
        { "null list column", "POST", "/api/analytics/lists", """{"level": "visitor", "from": "2026-01-01", "to": "2026-01-02", "columns": [null]}""", HttpStatusCode.BadRequest, "not null" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_json_4xx(string name, string method, string path, string? body, HttpStatusCode status, string mentions)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{s}", _subscription));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("x-guidepost-subscription", _subscription.Split('/')[^1]); // for the /api/v1 and /api/analytics routes

        var detail = await (await _client.SendAsync(request)).ShouldBeErrorAsync(status);
        detail.ShouldContain(mentions, Case.Insensitive, customMessage: name);
    }

    [Fact]
    public async Task A_wrong_content_type_is_refused()
    {
        var response = await _client.PostAsync($"{_subscription}/applications", new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));
        (await response.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType)).ShouldContain("application/json");
    }

    [Fact]
    public async Task A_huge_body_is_refused_by_the_real_server()
    {
        // The in-memory test server enforces no body limit, so this runs Kestrel on a free loopback port.
        using var data = new TestDirectory();
        using var kestrel = new GuidepostApp(data.Path, new Dictionary<string, string?>(_bootstrap.Settings) { ["Guidepost:Listen"] = "http://127.0.0.1:0" });
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        var client = kestrel.KeyClient(_bootstrap.IntegrationKey);

        var huge = $$"""{"name": "{{new string('x', 5 * 1024 * 1024)}}"}""";
        // Expect: 100-continue, as curl sends for large bodies, lets the server refuse before the upload.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/subscriptions")
        {
            Content = new StringContent(huge, Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };
        var response = await client.SendAsync(request);
        (await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge)).ShouldContain("too large", Case.Insensitive);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused()
    {
        var deep = """{"name": "x", "stagingHosts": """ + new string('[', 100) + new string(']', 100) + "}";
        var response = await _client.PostAsync($"{_subscription}/applications", new StringContent(deep, Encoding.UTF8, "application/json"));
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest);
    }

    private sealed record Named(string Name);

    [Fact]
    public void Reading_a_body_holds_it_to_the_nullability_annotations_and_writing_an_answer_does_not()
    {
        var options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        Should.Throw<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Named>("{\"name\": null}", options));
        System.Text.Json.JsonSerializer.Serialize(new Named(null!), options).ShouldBe("{\"name\":null}");
    }

    [Fact]
    public async Task A_taken_username_is_a_conflict()
    {
        await (await _client.PostJsonAsync($"{_subscription}/users", new { username = "dup", password = "long-enough" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        (await (await _client.PostJsonAsync($"{_subscription}/users", new { username = "DUP", password = "long-enough" }))
            .ShouldBeErrorAsync(HttpStatusCode.Conflict)).ShouldContain("DUP");
    }

    [Fact]
    public async Task Nothing_bad_input_touched_was_stored()
    {
        foreach (var body in new[] { """{"name": "x",""", """{"name": "x", "colour": "red"}""", $$"""{"name": "{{new string('n', 201)}}"}""" })
            await _client.PostAsync($"{_subscription}/applications", new StringContent(body, Encoding.UTF8, "application/json"));

        var apps = await (await _client.GetAsync($"{_subscription}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        apps.GetArrayLength().ShouldBe(1, "only the bootstrap application exists");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }
}

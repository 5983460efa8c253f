using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Server.Tests.Tagging;

/// <summary>Pages, features, track types and product areas on Pendo's REST paths.</summary>
public sealed class TagsApiTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    [Fact]
    public async Task A_page_is_created_read_edited_and_deleted_in_pendos_shape()
    {
        var created = await (await _gp.Admin.PostJsonAsync("/api/v1/page", new
        {
            name = "Reports", rules = new object[] { "//*/reports", new { rule = "//*/reports/*parameter*" } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        created.GetProperty("kind").GetString().ShouldBe("Page");
        created.GetProperty("appId").GetInt64().ShouldBe(_gp.Target.ApplicationId);
        created.GetProperty("rules")[0].GetProperty("rule").GetString().ShouldBe("//*/reports");
        created.GetProperty("rules")[0].GetProperty("parsedRule").GetString().ShouldStartWith("^https?://");
        created.GetProperty("rules")[1].GetProperty("rule").GetString().ShouldBe("//*/reports/*parameter*");
        created.GetProperty("createdByUser").GetProperty("username").GetString().ShouldBe("Bootstrap key");

        var list = await (await _gp.Admin.GetAsync("/api/v1/page")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.EnumerateArray().Select(p => p.GetProperty("id").GetString()).ShouldBe([id]);
        list[0].GetProperty("rules").GetArrayLength().ShouldBe(2);
        list[0].GetProperty("stableVersionId").GetString()!.ShouldStartWith(id + "-");

        var edited = await (await _gp.Admin.PutAsJsonAsync($"/api/v1/page/{id}", new { name = "All reports", rules = new[] { "//*/reports/**" } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        edited.GetProperty("name").GetString().ShouldBe("All reports");
        edited.GetProperty("rules").GetArrayLength().ShouldBe(1);
        var read = await (await _gp.Admin.GetAsync($"/api/v1/page/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        read.GetProperty("rules")[0].GetProperty("rule").GetString().ShouldBe("//*/reports/**");

        (await _gp.Admin.DeleteAsync($"/api/v1/page/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _gp.Admin.GetAsync($"/api/v1/page/{id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_rule_is_refused_with_its_position_and_nothing_is_saved()
    {
        var response = await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Broken", rules = new[] { "//*/fine", "//*/admin/**/users" } });
        var error = await response.ShouldBeJsonAsync(HttpStatusCode.BadRequest);
        error.GetProperty("detail").GetString()!.ShouldContain("rules[1]");
        error.GetProperty("detail").GetString()!.ShouldContain("must end the path");
        error.GetProperty("errors").GetProperty("rules[1]")[0].GetString()!.ShouldContain("character 11");
        (await (await _gp.Admin.GetAsync("/api/v1/page")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Features_are_css_selectors_optionally_on_one_page()
    {
        var page = await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Checkout", rules = new[] { "//*/checkout" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var pageId = page.GetProperty("id").GetString();

        var feature = await (await _gp.Admin.PostJsonAsync("/api/v1/feature", new { name = "Buy", elementPathRules = new[] { "button#buy", ".card > button" }, pageId }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        feature.GetProperty("kind").GetString().ShouldBe("Feature");
        feature.GetProperty("pageId").GetString().ShouldBe(pageId);
        feature.GetProperty("appWide").GetBoolean().ShouldBeFalse();
        feature.GetProperty("elementPathRules")[1].GetString().ShouldBe(".card > button");

        var badSelector = await _gp.Admin.PostJsonAsync("/api/v1/feature", new { name = "x", elementPathRules = new[] { "button:hover-ish" } });
        (await badSelector.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("elementPathRules[0]");
        var badPage = await _gp.Admin.PostJsonAsync("/api/v1/feature", new { name = "x", elementPathRules = new[] { "a" }, pageId = "nope" });
        (await badPage.ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("pageId");
    }

    [Fact]
    public async Task Track_types_are_unique_per_application()
    {
        var created = await (await _gp.Admin.PostJsonAsync("/api/v1/tracktype", new { trackTypeName = "Purchased" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        created.GetProperty("name").GetString().ShouldBe("Purchased");
        created.GetProperty("trackTypeRules")[0].GetString().ShouldBe("Purchased");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/tracktype", new { name = "Again", trackTypeName = "Purchased" })).ShouldBeErrorAsync(HttpStatusCode.BadRequest))
            .ShouldContain("already has a track type");
    }

    [Fact]
    public async Task Product_areas_group_tags()
    {
        var area = await (await _gp.Admin.PostJsonAsync("/api/v1/group", new { name = "Billing", color = "#ff8800" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var areaId = area.GetProperty("id").GetString();
        await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Invoices", rules = new[] { "//*/invoices" }, group = new { id = areaId } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        var pages = await (await _gp.Admin.GetAsync("/api/v1/page")).ShouldBeJsonAsync(HttpStatusCode.OK);
        pages[0].GetProperty("group").GetProperty("name").GetString().ShouldBe("Billing");
        pages[0].GetProperty("rules")[0].GetProperty("rule").GetString().ShouldBe("//*/invoices");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "x", rules = new[] { "//*/x" }, group = new { id = "missing" } }))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("product area");
    }

    [Fact]
    public async Task Lists_are_scoped_to_an_application_unless_expanded()
    {
        var second = await (await _gp.Admin.PostJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications", new { name = "Second" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetInt64();
        await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "First app page", rules = new[] { "//*/a" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Second app page", appId = secondId, rules = new[] { "//*/b" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        async Task<string[]> Names(string query) =>
            [.. (await (await _gp.Admin.GetAsync("/api/v1/page" + query)).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
        (await Names("")).ShouldBe(["First app page"]);
        (await Names($"?appId={secondId}")).ShouldBe(["Second app page"]);
        (await Names("?expand=*")).ShouldBe(["First app page", "Second app page"]);
    }

    [Fact]
    public async Task Tags_never_cross_subscriptions_and_need_write_access()
    {
        await (await _gp.Admin.PostJsonAsync("/api/v1/page", new { name = "Mine", rules = new[] { "//*/mine" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var admin = await _gp.App.LoggedInClientAsync(Bootstrap.AdminUsername, _gp.Bootstrap.AdminPassword);
        var other = await Tenants.CreateAsync(admin, "Other");
        var otherKey = _gp.App.KeyClient(other.ReadWriteKey);
        await (await otherKey.PostJsonAsync($"/api/admin/subscriptions/{other.Id}/applications", new { name = "Other app" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        (await (await otherKey.GetAsync("/api/v1/page?expand=*")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
        var mine = (await (await _gp.Admin.GetAsync("/api/v1/page")).ShouldBeJsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetString();
        await (await otherKey.GetAsync($"/api/v1/page/{mine}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await otherKey.DeleteAsync($"/api/v1/page/{mine}")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await otherKey.PostJsonAsync("/api/v1/page", new { name = "x", rules = new[] { "//*/x" }, appId = _gp.Target.ApplicationId }))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest);

        await (await _gp.App.KeyClient(other.ReadOnlyKey).PostJsonAsync("/api/v1/page", new { name = "x", rules = new[] { "//*/x" } }))
            .ShouldBeErrorAsync(HttpStatusCode.Forbidden);
        (await admin.GetAsync("/api/v1/page")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "an instance admin must name the subscription");
        var named = new HttpRequestMessage(HttpMethod.Get, "/api/v1/page") { Headers = { { "x-guidepost-subscription", _gp.Target.SubscriptionId.ToString() } } };
        (await (await admin.SendAsync(named)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("/api/v1/page", "description")]
    [InlineData("/api/v1/tracktype", "trackTypeName")]
    [InlineData("/api/v1/group", "description")]
    public async Task Over_long_fields_are_refused(string path, string field)
    {
        var body = new Dictionary<string, object> { ["name"] = "x", ["rules"] = new[] { "//*/x" }, [field] = new string('d', 3000) };
        if (field != "trackTypeName") body["trackTypeName"] = "ok";
        (await (await _gp.Admin.PostJsonAsync(path, body)).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain(field);
    }

    [Fact]
    public async Task Rules_can_be_checked_without_saving()
    {
        var checks = await (await _gp.Admin.PostJsonAsync("/api/v1/rules/validate", new { kind = "page", rules = new[] { "//*/ok/*", "nope" } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        checks[0].GetProperty("valid").GetBoolean().ShouldBeTrue();
        checks[0].GetProperty("parsedRule").GetString().ShouldNotBeNullOrEmpty();
        checks[1].GetProperty("valid").GetBoolean().ShouldBeFalse();
        checks[1].GetProperty("problem").GetString()!.ShouldContain("starts with //");
        await (await _gp.Admin.PostJsonAsync("/api/v1/rules/validate", new { kind = "guide", rules = new[] { "x" } })).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
    }

    public Task DisposeAsync() => _gp.DisposeAsync().AsTask();
}

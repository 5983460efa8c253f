using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Server.Tests.Guides;

/// <summary><c>guide.json</c> as the Pendo agent reads it (protocol §5): which guides a visitor gets, their content by
/// URL, and each step's state rebuilt from the guide events the agent sent.</summary>
public sealed class GuideDeliveryTests : IAsyncLifetime
{
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() => _gp = await TestInstallation.StartAsync();

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private async Task<JsonElement> CreateAsync(object guide) =>
        await (await _gp.Admin.PostJsonAsync("/api/v1/guide", guide)).ShouldBeJsonAsync(HttpStatusCode.Created);

    private async Task<string> PublishAsync(object guide, string state = "public")
    {
        var id = (await CreateAsync(guide)).GetProperty("id").GetString()!;
        await (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A one-step guide; its step id comes from its name unless given (step ids are unique across guides).</summary>
    private static object OneStep(string name, string? stepId = null, object? extra = null)
    {
        stepId ??= "step-" + new string([.. name.Where(char.IsAsciiLetterOrDigit)]);
        var guide = new Dictionary<string, object?> { ["name"] = name, ["steps"] = new[] { new { id = stepId, domJson = GuideFixtures.Lightbox(stepId) } } };
        if (extra is not null)
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject()) guide[property.Name] = property.Value;
        return guide;
    }

    private static string Request(string visitor, string url = "https://app.example/home", string? account = "account-1") =>
        AgentPayloads.JzbObject(new { visitorId = visitor, accountId = account, url, metadata = new { visitor = new { id = visitor, language = "en_US" } } });

    private async Task<JsonElement> GuidesAsync(string visitor, string url = "https://app.example/home", string? id = "7")
    {
        var response = await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?id={id}&jzb={Request(visitor, url)}&v=2.291.4_prod&ct=1");
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    private async Task SendGuideEventsAsync(params object[] events) =>
        (await _gp.App.CreateClient().GetAsync($"/data/guide.gif/{_gp.Target.ApiKey}?v=2.291.4_prod&ct=1&jzb={AgentPayloads.Jzb(events)}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task A_published_guide_reaches_the_agent_and_its_content_is_served_by_url()
    {
        var draftOnly = (await CreateAsync(OneStep("Draft"))).GetProperty("id").GetString();
        var id = await PublishAsync(OneStep("Welcome", "step-1", extra: new { priority = 5 }));

        var payload = await GuidesAsync("visitor-1");
        payload.GetProperty("id").GetString().ShouldBe("7");
        payload.GetProperty("lastGuideStepSeen").GetProperty("visitorId").GetString().ShouldBe("visitor-1");
        payload.GetProperty("normalizedUrl").GetString().ShouldBe("https://app.example/home");
        var guides = payload.GetProperty("guides");
        guides.EnumerateArray().Select(g => g.GetProperty("id").GetString()).ShouldBe([id]); // not the draft
        draftOnly.ShouldNotBe(id);
        var guide = guides[0];
        guide.GetProperty("launchMethod").GetString().ShouldBe("auto");
        guide.GetProperty("state").GetString().ShouldBe("public");
        guide.GetProperty("isMultiStep").GetBoolean().ShouldBeFalse();
        guide.GetProperty("attributes").GetProperty("priority").GetInt32().ShouldBe(5);
        payload.GetProperty("autoOrdering").EnumerateArray().Select(g => g.GetString()).ShouldBe([id]);
        var step = guide.GetProperty("steps")[0];
        step.GetProperty("id").GetString().ShouldBe("step-1");
        step.GetProperty("guideId").GetString().ShouldBe(id);
        step.TryGetProperty("seenState", out _).ShouldBeFalse();

        // The content URLs are absolute (the agent fetches them from the customer's page) and serve the tree as written.
        var domUrl = new Uri(step.GetProperty("domUrl").GetString()!);
        var client = _gp.App.CreateClient();
        var content = await (await client.GetAsync(domUrl.PathAndQuery)).ShouldBeJsonAsync(HttpStatusCode.OK);
        JsonSerializer.Serialize(content).ShouldBe(JsonSerializer.Serialize(GuideFixtures.Lightbox("step-1")));
        var jsonp = await client.GetAsync(new Uri(step.GetProperty("domJsonpUrl").GetString()!).PathAndQuery);
        (await jsonp.Content.ReadAsStringAsync()).ShouldBe($"pendo.receiveDomStructureJson(\"{id}\",\"step-1\",{JsonSerializer.Serialize(GuideFixtures.Lightbox("step-1"))});");
        jsonp.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
    }

    [Fact]
    public async Task Step_state_comes_from_the_stored_guide_events_and_resets_forget_it()
    {
        var id = await PublishAsync(new
        {
            name = "Tour", steps = new[] { new { id = "one", domJson = GuideFixtures.Lightbox("one") }, new { id = "two", domJson = GuideFixtures.Lightbox("two") } },
        });
        var t = AgentPayloads.T0;
        await SendGuideEventsAsync(
            AgentPayloads.GuideEvent("guideSeen", "visitor-1", id, "one", t, 1, new { reason = "auto", last_updated_at = 1 }),
            AgentPayloads.GuideEvent("guideAdvanced", "visitor-1", id, "one", t + 1000, 2, new { seen_reason = "auto", destination_step_id = "two" }),
            AgentPayloads.GuideEvent("guideSeen", "visitor-1", id, "two", t + 1500, 3, new { reason = "continue" }),
            AgentPayloads.GuideEvent("guideDismissed", "visitor-1", id, "two", t + 4000, 4, new { seen_reason = "auto" }),
            AgentPayloads.GuideEvent("guideSnoozed", "visitor-2", id, "one", t + 2000, 5, new { seen_reason = "auto", snooze_duration = 3_600_000 }));

        var steps = (await GuidesAsync("visitor-1")).GetProperty("guides")[0].GetProperty("steps");
        (steps[0].GetProperty("seenState").GetString(), steps[0].GetProperty("lastSeenAt").GetInt64()).ShouldBe(("advanced", t + 1000));
        (steps[1].GetProperty("seenState").GetString(), steps[1].GetProperty("dismissCount").GetInt32()).ShouldBe(("dismissed", 1));
        var payload = await GuidesAsync("visitor-1");
        var last = payload.GetProperty("lastGuideStepSeen");
        (last.GetProperty("guideStepId").GetString(), last.GetProperty("state").GetString(), last.GetProperty("time").GetInt64())
            .ShouldBe(("two", "dismissed", t + 4000));
        payload.GetProperty("latestDismissedAutoAt").GetInt64().ShouldBe(t + 4000);

        var snoozed = (await GuidesAsync("visitor-2")).GetProperty("guides")[0].GetProperty("steps")[0];
        (snoozed.GetProperty("seenState").GetString(), snoozed.GetProperty("snoozeEndTime").GetInt64()).ShouldBe(("snoozed", t + 2000 + 3_600_000));

        (await _gp.Admin.PostAsync($"/api/v1/guide/{id}/visitor/visitor-1/reset", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reset = await GuidesAsync("visitor-1");
        reset.GetProperty("guides")[0].GetProperty("steps").EnumerateArray().Count(s => s.TryGetProperty("seenState", out _)).ShouldBe(0);
        reset.GetProperty("lastGuideStepSeen").TryGetProperty("guideId", out _).ShouldBeFalse();
        (await GuidesAsync("visitor-2")).GetProperty("guides")[0].GetProperty("steps")[0].GetProperty("seenState").GetString().ShouldBe("snoozed");
    }

    [Fact]
    public async Task A_guide_dismissed_before_identifying_stays_dismissed_after()
    {
        var id = await PublishAsync(OneStep("Welcome", "step-1"));
        await SendGuideEventsAsync(
            AgentPayloads.GuideEvent("guideSeen", "_PENDO_T_anon12345", id, "step-1", AgentPayloads.T0, 1, new { reason = "auto" }),
            AgentPayloads.GuideEvent("guideDismissed", "_PENDO_T_anon12345", id, "step-1", AgentPayloads.T0 + 500, 2, new { seen_reason = "auto" }));
        // The identify that links the two ids may not be stored yet when the agent asks again: it names the old id.
        var jzb = AgentPayloads.JzbObject(new { visitorId = "visitor-9", oldVisitorId = "_PENDO_T_anon12345", url = "https://app.example/" });
        var payload = await (await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?jzb={jzb}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        payload.GetProperty("guides")[0].GetProperty("steps")[0].GetProperty("seenState").GetString().ShouldBe("dismissed");
        // Once linked, the visitor's own requests carry it without the old id.
        (await _gp.App.CreateClient().GetAsync($"/data/ptm.gif/{_gp.Target.ApiKey}?jzb={AgentPayloads.Jzb(AgentPayloads.Identify("visitor-9", "_PENDO_T_anon12345", AgentPayloads.T0 + 1000, 3))}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GuidesAsync("visitor-9")).GetProperty("guides")[0].GetProperty("steps")[0].GetProperty("seenState").GetString().ShouldBe("dismissed");
        (await GuidesAsync("visitor-10")).GetProperty("guides")[0].GetProperty("steps")[0].TryGetProperty("seenState", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Staged_guides_show_only_on_the_applications_staging_hosts()
    {
        (await _gp.Admin.PatchJsonAsync($"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}",
            new { stagingHosts = new[] { "staging.app.example" } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var staged = await PublishAsync(OneStep("Staged"), "staged");
        var live = await PublishAsync(OneStep("Live"));

        Ids(await GuidesAsync("visitor-1", "https://app.example/home")).ShouldBe([live]);
        Ids(await GuidesAsync("visitor-1", "https://Staging.App.Example/home")).ShouldBe([live, staged], ignoreOrder: true);

        (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{staged}/state", new { state = "disabled" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        Ids(await GuidesAsync("visitor-1", "https://staging.app.example/home")).ShouldBe([live]);
    }

    [Fact]
    public async Task Segments_and_schedules_decide_who_gets_a_guide_and_when()
    {
        var segment = await (await _gp.Admin.PostJsonAsync("/api/v1/segment", new
        {
            name = "Pro", rules = new { field = "custom.plan", value = "pro" },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        foreach (var (visitor, plan) in new[] { ("pro-visitor", "pro"), ("free-visitor", "free") })
            (await _gp.Admin.PutAsync($"/api/v1/metadata/visitor/custom/value/{visitor}/plan", JsonContent.Create(plan))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var targeted = await PublishAsync(OneStep("Pro only", extra: new { audience = new { segmentId = segment.GetProperty("id").GetString() } }));
        await PublishAsync(OneStep("Later", extra: new { showsAfter = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() }));
        await PublishAsync(OneStep("Gone", extra: new { expiresAfter = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() }));
        var everyone = await PublishAsync(OneStep("Everyone"));

        Ids(await GuidesAsync("pro-visitor")).ShouldBe([targeted, everyone], ignoreOrder: true);
        Ids(await GuidesAsync("free-visitor")).ShouldBe([everyone]);
    }

    [Fact]
    public async Task Do_not_process_visitors_get_451_and_blocked_ones_no_guides()
    {
        await PublishAsync(OneStep("Welcome"));
        (await _gp.Admin.PutAsync("/api/v1/metadata/visitor/pendo/value/dnp-visitor/donotprocess", JsonContent.Create(true))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _gp.Admin.PutAsync("/api/v1/metadata/visitor/pendo/value/quiet-visitor/blacklistguides", JsonContent.Create(true))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?id=1&jzb={Request("dnp-visitor")}");
        refused.StatusCode.ShouldBe(HttpStatusCode.UnavailableForLegalReasons);
        Ids(await GuidesAsync("quiet-visitor")).ShouldBeEmpty();
        Ids(await GuidesAsync("visitor-1")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Every_publish_is_a_version_and_edits_wait_for_the_next_one()
    {
        var id = await PublishAsync(OneStep("v1", "step-1"));
        (await _gp.Admin.PutAsJsonAsync($"/api/v1/guide/{id}", OneStep("v2", "step-2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = (await GuidesAsync("visitor-1")).GetProperty("guides")[0];
        (before.GetProperty("name").GetString(), before.GetProperty("steps")[0].GetProperty("id").GetString()).ShouldBe(("v1", "step-1"));

        (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "public" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await GuidesAsync("visitor-1")).GetProperty("guides")[0];
        after.GetProperty("steps")[0].GetProperty("id").GetString().ShouldBe("step-2");

        var history = await (await _gp.Admin.GetAsync($"/api/v1/guide/{id}/history")).ShouldBeJsonAsync(HttpStatusCode.OK);
        history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
        history[1].GetProperty("definition").GetProperty("steps")[0].GetProperty("id").GetString().ShouldBe("step-1");
        await (await _gp.Admin.GetAsync("/api/v1/guide/nope/history")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_badge_launched_guide_carries_its_badge_and_needs_an_element_to_mark()
    {
        var id = await PublishAsync(new
        {
            name = "Help", launchMethod = "badge", badge = new { position = "inline" },
            steps = new[] { new { id = "tip", elementRule = "#help", placement = "tooltip", blocks = new object[] { new { text = "Need a hand?" } } } },
        });
        var badge = (await GuidesAsync("visitor-1")).GetProperty("guides").EnumerateArray().Single(g => g.GetProperty("id").GetString() == id)
            .GetProperty("attributes").GetProperty("badge");
        badge.GetProperty("position").GetString().ShouldBe("inline");
        var image = new Uri(badge.GetProperty("imageUrl").GetString()!);
        var svg = await _gp.App.CreateClient().GetAsync(image.PathAndQuery);
        svg.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");

        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", new
        {
            name = "x", launchMethod = "badge", steps = new[] { new { id = "a", placement = "lightbox", blocks = new object[] { new { text = "Hi" } } } },
        })).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("badge: a badge sits by an element");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", OneStep("x", extra: new { badge = new { position = "top-right" } })))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("launchMethod includes badge");
    }

    [Fact]
    public async Task A_guide_whose_layout_was_edited_out_from_under_it_is_left_out_not_a_500()
    {
        object Layout(string text) => new { name = "Card", definition = new { placement = "lightbox", blocks = new object[] { new { heading = text } } } };
        var layout = (await (await _gp.Admin.PostJsonAsync("/api/v1/guide-layout", Layout("{{title}}"))).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        var laidOut = await PublishAsync(new { name = "Laid out", steps = new[] { new { id = "card", layout = new { id = layout, slots = new { title = "Hello" } } } } });
        var plain = await PublishAsync(OneStep("Plain"));
        Ids(await GuidesAsync("visitor-1")).ShouldBe([laidOut, plain], ignoreOrder: true);

        // The layout now wants a slot the published guide does not fill.
        (await _gp.Admin.PutAsJsonAsync($"/api/v1/guide-layout/{layout}", Layout("{{title}} {{subtitle}}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        Ids(await GuidesAsync("visitor-1")).ShouldBe([plain]);
        (await (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{laidOut}/state", new { state = "public" })).ShouldBeErrorAsync(HttpStatusCode.BadRequest))
            .ShouldContain("subtitle");
    }

    [Fact]
    public async Task Throttling_comes_from_the_applications_guide_settings()
    {
        var url = $"/api/admin/subscriptions/{_gp.Target.SubscriptionId}/applications/{_gp.Target.ApplicationId}";
        var saved = await (await _gp.Admin.PatchJsonAsync(url, new { guides = new { throttlingEnabled = true, throttlingInterval = 2, throttlingUnit = "hour" } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        saved.GetProperty("guides").GetProperty("throttlingUnit").GetString().ShouldBe("hour");
        await PublishAsync(OneStep("Welcome"));
        var throttling = (await GuidesAsync("visitor-1")).GetProperty("throttling");
        (throttling.GetProperty("enabled").GetBoolean(), throttling.GetProperty("interval").GetInt32(), throttling.GetProperty("unit").GetString()).ShouldBe((true, 2, "hour"));
        (await (await _gp.Admin.PatchJsonAsync(url, new { guides = new { throttlingUnit = "fortnight" } })).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("hrottlingUnit");
    }

    [Fact]
    public async Task Visitors_get_the_guide_in_their_language_and_the_authored_one_otherwise()
    {
        await PublishAsync(new
        {
            name = "Hello", authoredLanguage = "en",
            steps = new[] { new { id = "hi", placement = "lightbox", blocks = new object[] { new { heading = new { en = "Welcome", fr = "Bienvenue" } }, new { text = "Acme" } } } },
        });
        async Task<string> ContentAsync(string language)
        {
            var jzb = AgentPayloads.JzbObject(new { visitorId = "v", url = "https://app.example/", metadata = new { visitor = new { language } } });
            var payload = await (await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?jzb={jzb}")).ShouldBeJsonAsync(HttpStatusCode.OK);
            var step = payload.GetProperty("guides")[0].GetProperty("steps")[0];
            var byUrl = await (await _gp.App.CreateClient().GetAsync(new Uri(step.GetProperty("domUrl").GetString()!).PathAndQuery)).Content.ReadAsStringAsync();
            step.GetProperty("domJson").GetRawText().ShouldBe(byUrl); // inline and by URL, the same tree
            return byUrl;
        }
        (await ContentAsync("fr_CA")).ShouldContain("Bienvenue");
        (await ContentAsync("fr_CA")).ShouldNotContain("Welcome");
        (await ContentAsync("de_DE")).ShouldContain("Welcome");
    }

    [Theory]
    [InlineData("", "jzb")]
    [InlineData("jzb=not-base64!!", "jzb")]
    public async Task A_bad_guide_request_is_a_400_that_says_why(string query, string mentions)
    {
        var detail = await (await _gp.App.CreateClient().GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?{query}")).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        detail.ShouldContain(mentions);
    }

    [Fact]
    public async Task Bad_requests_and_bad_guides_are_explained()
    {
        var client = _gp.App.CreateClient();
        (await client.GetAsync($"/data/guide.json/no-such-key?jzb={Request("v")}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var badUrl = AgentPayloads.JzbObject(new { visitorId = "v", url = "javascript:alert(1)" });
        (await (await client.GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?jzb={badUrl}")).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("url");
        var noVisitor = AgentPayloads.JzbObject(new { url = "https://app.example/" });
        (await (await client.GetAsync($"/data/guide.json/{_gp.Target.ApiKey}?jzb={noVisitor}")).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("visitorId");

        var missingSteps = await (await _gp.Admin.PostJsonAsync("/api/v1/guide", new { name = "x" })).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        missingSteps.ShouldContain("steps");
        var badRule = await (await _gp.Admin.PostJsonAsync("/api/v1/guide", new
        {
            name = "x", steps = new object[] { new { id = "a", domJson = GuideFixtures.Lightbox("a") }, new { id = "b", pageRule = "reports", domJson = GuideFixtures.Lightbox("b") } },
        })).ShouldBeErrorAsync(HttpStatusCode.BadRequest);
        badRule.ShouldContain("steps[1].pageRule");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", OneStep("x", extra: new { audience = new { segmentId = "nope" } })))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("segment 'nope'");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", OneStep("x", extra: new { launchMethod = "telepathy" })))
            .ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("launchMethod");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", new
        {
            name = "x", steps = new[] { new { id = "a", placement = "lightbox", blocks = new object[] { new { button = "Tour", action = "showGuide", guideId = "noSuchGuide" } } } },
        })).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("'noSuchGuide'");
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", new
        {
            name = "x", steps = new[] { new { id = "a", placement = "tooltip", blocks = new object[] { new { text = "Hi" } } } },
        })).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("steps[0].elementRule");

        var id = (await CreateAsync(OneStep("x"))).GetProperty("id").GetString();
        (await (await _gp.Admin.PostJsonAsync("/api/v1/guide", OneStep("y", "step-x"))).ShouldBeErrorAsync(HttpStatusCode.BadRequest))
            .ShouldContain($"steps[0].id: guide '{id}' already has a step 'step-x'");
        (await (await _gp.Admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "live" })).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("state");
        (await (await _gp.Admin.PostAsync($"/api/v1/guide/{id}/reset", null)).ShouldBeErrorAsync(HttpStatusCode.BadRequest)).ShouldContain("staged");
        await (await _gp.Admin.GetAsync("/api/v1/guide/nope")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        await (await _gp.Admin.PostJsonAsync("/api/v1/guide/nope/state", new { state = "public" })).ShouldBeErrorAsync(HttpStatusCode.NotFound);
    }

    private static List<string?> Ids(JsonElement payload) => [.. payload.GetProperty("guides").EnumerateArray().Select(g => g.GetProperty("id").GetString())];
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Guides.Content;
using static Guidepost.Guides.Tests.Content.Content;

namespace Guidepost.Guides.Tests.Content;

public class StepRendererTests
{
    private const string Lightbox = """
        {"placement":"lightbox","width":480,"blocks":[
          {"heading":{"en":"Welcome","fr":"Bienvenue"}},
          {"text":"Some text"},
          {"image":"https://cdn.example.com/x.png","alt":"A picture"},
          {"button":"Back","action":"previous"},
          {"button":{"en":"Next","fr":"Suivant"},"action":"next"},
          {"button":"Docs","action":"link","url":"https://docs.example.com/"},
          {"button":"Last","action":"goToStep","stepIndex":2},
          {"button":"Later","action":"snooze"},
          {"button":"No thanks","action":"dismiss"}]}
        """;

    [Fact]
    public void A_lightbox_has_the_agents_skeleton_a_backdrop_a_close_button_and_its_button_actions()
    {
        var dom = Render(Lightbox).DomJson;

        Prop(dom, "id").ShouldBe("pendo-base");
        var children = dom["children"]!.AsArray().Select(c => Prop(c!.AsObject(), "id")).ToList();
        children.ShouldBe(["pendo-backdrop", "pendo-g-step-b"]);
        var guide = ById(dom, "pendo-g-step-b");
        Prop(guide, "data-vertical-alignment").ShouldBe("Centered");
        guide["props"]!["style"]!.ToJsonString().ShouldBe("""{"position":"fixed","top":"50%","left":"50%","width":"480px","z-index":"300000"}""");
        var container = guide["children"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        Prop(container, "id").ShouldBe("pendo-guide-container");
        Prop(container, "aria-labelledby").ShouldBe("pendo-heading-0");

        var close = ById(dom, "pendo-close-guide-step-b");
        close["type"]!.GetValue<string>().ShouldBe("button");
        Actions(close).ShouldBe("""[{"action":"dismissGuide","eventType":"click","parameters":[]}]""");
        Actions(ById(dom, "pendo-button-3")).ShouldBe("""[{"action":"previousStep","eventType":"click","parameters":[]}]""");
        Actions(ById(dom, "pendo-button-4")).ShouldBe("""[{"action":"advanceGuide","eventType":"click","parameters":[]}]""");
        Actions(ById(dom, "pendo-button-5")).ShouldBe("""[{"action":"openLink","eventType":"click","parameters":[{"name":"url","value":"https://docs.example.com/"},{"name":"target","value":"_blank"}]}]""");
        Actions(ById(dom, "pendo-button-6")).ShouldBe("""[{"action":"goToStep","eventType":"click","parameters":[{"name":"goToStepId","value":"step-c"}]}]""");
        Actions(ById(dom, "pendo-button-7")).ShouldBe("""[{"action":"guideSnoozed","eventType":"click","parameters":[]}]""");
        Actions(ById(dom, "pendo-button-8")).ShouldBe("""[{"action":"dismissGuide","eventType":"click","parameters":[]}]""");
        ById(dom, "pendo-heading-0")["content"]!.GetValue<string>().ShouldBe("Welcome");
        Prop(ById(dom, "pendo-image-2"), "src").ShouldBe("https://cdn.example.com/x.png");
        Validate(dom).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("top", "Top Aligned", "top")]
    [InlineData("bottom", "Bottom Aligned", "bottom")]
    public void A_banner_is_pinned_without_a_width_and_without_a_backdrop(string position, string alignment, string edge)
    {
        var dom = Render($$"""{"placement":"banner","position":"{{position}}","blocks":[{"text":"Maintenance tonight"}]}""").DomJson;

        var guide = ById(dom, "pendo-g-step-b");
        Prop(guide, "data-vertical-alignment").ShouldBe(alignment);
        var style = guide["props"]!["style"]!.AsObject();
        style.Select(p => p.Key).ShouldBe(["position", "top" == edge ? "top" : "bottom", "left", "right", "z-index"]);
        style.ContainsKey("width").ShouldBeFalse();
        Nodes(dom).ShouldNotContain(n => Prop(n, "id") == "pendo-backdrop");
        ById(dom, "pendo-close-guide-step-b").ShouldNotBeNull();
    }

    [Fact]
    public void A_banner_given_a_width_is_rejected()
    {
        var error = ParseErrors("""{"placement":"banner","width":500,"blocks":[{"text":"x"}]}""").ShouldHaveSingleItem();
        error.Path.ShouldBe("content.width");
    }

    [Fact]
    public void A_tooltip_is_relative_to_its_element_and_gives_its_layout_direction()
    {
        var rendered = Render("""{"placement":"tooltip","position":"right","blocks":[{"text":"Click here"}]}""");

        Prop(ById(rendered.DomJson, "pendo-g-step-b"), "data-vertical-alignment").ShouldBe("Relative to Element");
        var container = ById(rendered.DomJson, "pendo-guide-container");
        container["props"]!["style"]!["background-color"]!.GetValue<string>().ShouldBe("#ffffff");
        rendered.Attributes.ToJsonString().ShouldBe("""{"layoutDir":"right"}""");
    }

    [Fact]
    public void An_embedded_step_has_no_width_and_no_centring_alignment()
    {
        var guide = ById(Render("""{"placement":"embedded","blocks":[{"text":"Inline"}]}""").DomJson, "pendo-g-step-b");

        Prop(guide, "data-vertical-alignment").ShouldBe("Top Aligned");
        guide["props"]!["style"]!.ToJsonString().ShouldBe("""{"position":"relative"}""");
    }

    // Structures checked against the agent's EventRouter submitPoll (it reads, inside each element carrying
    // data-pendo-poll-id, the first textarea, text input, select or checked radio) and the Poll step behaviour's
    // response (which sends pollResponse with the guide's poll numericResponses and attributes.type).
    [Theory]
    [InlineData("""{"type":"singleChoice","question":"Pick","options":["Red",{"en":"Blue","fr":"Bleu"}]}""", "PickList", false, "radio", "Red,Blue")]
    [InlineData("""{"type":"numberScale","question":"Rate","min":1,"max":5,"minLabel":"Bad","maxLabel":"Good"}""", "NumberScale", true, "radio", "1,2,3,4,5")]
    [InlineData("""{"type":"nps","question":"Recommend us?"}""", "NPSRating", true, "radio", "0,1,2,3,4,5,6,7,8,9,10")]
    [InlineData("""{"type":"freeText","question":"Why?"}""", "FreeForm", false, "textarea", "")]
    public void A_poll_has_one_element_per_poll_id_holding_the_inputs_the_agent_reads(string poll, string type, bool numeric, string input, string values)
    {
        var rendered = Render($$"""{"placement":"lightbox","blocks":[{"poll":{{poll}}},{"button":"Send","action":"next"}]}""", context: Context("fr"));

        var info = rendered.Polls.ShouldHaveSingleItem();
        info.ShouldBe(new PollInfo(StepRendererPollId(0), type, numeric));
        rendered.PollIds.ShouldBe([info.Id]);
        info.ToGuideJson().ToJsonString().ShouldBe($$$"""{"id":"{{{info.Id}}}","numericResponses":{{{(numeric ? "true" : "false")}}},"attributes":{"type":"{{{type}}}"}}""");

        var carriers = Nodes(rendered.DomJson).Where(n => Prop(n, "data-pendo-poll-id") == info.Id).ToList();
        var holding = carriers.Where(c => Nodes(c).Skip(1).Any(IsReadInput)).ToList();
        var answers = holding.ShouldHaveSingleItem();
        Prop(answers, "id").ShouldBe("pendo-poll-0-answers");
        var inputs = Nodes(answers).Where(IsReadInput).ToList();
        inputs.ShouldNotBeEmpty();
        inputs.ShouldAllBe(i => input == "radio" ? Prop(i, "type") == "radio" : (string)i["type"]! == input);
        if (input == "radio")
        {
            inputs.ShouldAllBe(i => Prop(i, "name") == info.Id && Prop(i, "class") == "pendo-radio");
            string.Join(",", inputs.Select(i => Prop(i, "value"))).ShouldBe(values);
        }
        Actions(ById(rendered.DomJson, "pendo-button-1")).ShouldBe("""[{"action":"submitPoll","eventType":"click","parameters":[]}]""");
        Validate(rendered.DomJson).ShouldBeEmpty();
    }

    [Fact]
    public void Nps_offers_0_to_10_in_wrappers_the_agent_recognises_and_labels_in_the_visitors_language()
    {
        var dom = Render("""{"placement":"lightbox","blocks":[{"poll":{"type":"nps","question":"?","minLabel":{"en":"Unlikely","fr":"Peu probable"}}},{"button":"Send","action":"next"}]}""",
            context: Context("fr")).DomJson;

        var wrappers = Nodes(ById(dom, "pendo-poll-0-answers")).Skip(1).Where(n => (string)n["type"]! == "span").ToList();
        wrappers.Select(w => Prop(w, "class")).ShouldBe(Enumerable.Range(0, 11).Select(n => $"_pendo-nps-poll-{n}-wrapper"));
        wrappers.Select(w => (string)w["children"]![1]!["content"]!).ShouldBe(Enumerable.Range(0, 11).Select(n => n.ToString()));
        ById(dom, "pendo-poll-0-min-label")["content"]!.GetValue<string>().ShouldBe("Peu probable");
    }

    [Fact]
    public void A_goToStep_button_on_a_poll_step_submits_then_goes()
    {
        var dom = Render("""{"placement":"lightbox","blocks":[{"poll":{"type":"freeText","question":"Why?"}},{"button":"Skip ahead","action":"goToStep","stepIndex":0}]}""").DomJson;

        Actions(ById(dom, "pendo-button-1")).ShouldBe("""[{"action":"submitPollAndGoToStep","eventType":"click","parameters":[{"name":"goToStepId","value":"step-a"}]}]""");
    }

    [Fact]
    public void A_show_guide_button_launches_the_named_guide_as_the_agent_reads_it()
    {
        var content = Parse("""{"placement":"lightbox","blocks":[{"text":"More?"},{"button":"Take the tour","action":"showGuide","guideId":"tourGuide1"}]}""");
        content.LaunchedGuideIds.ShouldBe(["tourGuide1"]);
        var dom = Render("""{"placement":"lightbox","blocks":[{"text":"More?"},{"button":"Take the tour","action":"showGuide","guideId":"tourGuide1"}]}""").DomJson;
        // The agent's building-block action router shows evt.params[0].value.
        Actions(ById(dom, "pendo-button-1")).ShouldBe("""[{"action":"showGuide","eventType":"click","parameters":[{"name":"guideId","value":"tourGuide1"}]}]""");
        Validate(dom).ShouldBeEmpty();
        ParseErrors("""{"placement":"lightbox","blocks":[{"button":"Go","action":"showGuide"}]}""").ShouldHaveSingleItem().Path.ShouldBe("content.blocks[0].guideId");
        ParseErrors("""{"placement":"lightbox","blocks":[{"button":"Go","action":"next","guideId":"x"}]}""").ShouldHaveSingleItem().Path.ShouldBe("content.blocks[0].guideId");
    }

    [Fact]
    public void A_poll_without_a_submitting_button_is_rejected()
    {
        var error = ParseErrors("""{"placement":"lightbox","blocks":[{"poll":{"type":"nps","question":"?"}}]}""").ShouldHaveSingleItem();
        error.ShouldBe(new ContentError("content.blocks[0]", "a step with a poll needs a button with action next or goToStep: that button submits the answers"));
    }

    [Fact]
    public void Multiple_choice_is_rejected_because_the_agent_reads_one_answer_per_poll()
    {
        var error = ParseErrors("""{"placement":"lightbox","blocks":[{"poll":{"type":"multipleChoice","question":"?","options":["a","b"]}},{"button":"Send","action":"next"}]}""").ShouldHaveSingleItem();
        error.Path.ShouldBe("content.blocks[0].poll.type");
    }

    [Theory]
    [InlineData("lightbox")]
    [InlineData("banner")]
    public void A_policy_has_a_backdrop_no_dismissal_and_an_accept_that_sends_the_version(string placement)
    {
        var rendered = Render($$$"""{"placement":"{{{placement}}}","blocks":[{"heading":"Terms"},{"policy":{"version":"2026-11","text":"Our terms…","accept":"I accept"}}]}""");
        var dom = rendered.DomJson;

        Nodes(dom).ShouldNotContain(n => (Prop(n, "id") ?? "").StartsWith("pendo-close-guide"));
        Nodes(dom).ShouldNotContain(n => n["actions"] != null && Actions(n).Contains("dismissGuide"));
        ById(dom, "pendo-backdrop")["props"]!["style"]!["background-color"]!.GetValue<string>().ShouldBe(StepRenderer.BackdropColor);
        var poll = rendered.Polls.ShouldHaveSingleItem();
        poll.ShouldBe(new PollInfo(StepRendererPollId(1), "PolicyAcceptance", false));
        var carrier = Nodes(dom).Single(n => Prop(n, "data-pendo-poll-id") == poll.Id);
        var version = Nodes(carrier).Single(IsReadInput);
        (Prop(version, "type"), Prop(version, "value")).ShouldBe(("text", "2026-11"));
        Actions(ById(dom, "pendo-button-accept-1")).ShouldBe("""[{"action":"submitPoll","eventType":"click","parameters":[]}]""");
        Validate(dom).ShouldBeEmpty();
    }

    [Fact]
    public void A_policy_step_cannot_offer_a_way_around_accepting()
    {
        var errors = ParseErrors("""{"placement":"lightbox","blocks":[{"policy":{"version":"1","text":"t"}},{"button":"Later","action":"snooze"},{"button":"Skip","action":"next"}]}""");
        errors.Select(e => e.Path).ShouldBe(["content.blocks[1].action", "content.blocks[2].action"]);
    }

    [Fact]
    public void Text_falls_back_to_the_base_language_then_the_authored_language()
    {
        const string step = """{"placement":"lightbox","blocks":[{"heading":{"en":"Hello","fr":"Bonjour"}},{"text":{"en":"Only English"}}]}""";

        var canadian = Render(step, context: Context("fr-CA")).DomJson;
        ById(canadian, "pendo-heading-0")["content"]!.GetValue<string>().ShouldBe("Bonjour");
        ById(canadian, "pendo-text-1")["content"]!.GetValue<string>().ShouldBe("Only English");
        ById(Render(step, context: Context("de")).DomJson, "pendo-heading-0")["content"]!.GetValue<string>().ShouldBe("Hello");
    }

    [Fact]
    public void Text_missing_in_both_the_language_and_the_authored_language_is_an_error()
    {
        var errors = new List<ContentError>();
        StepRenderer.Render(Parse("""{"placement":"lightbox","blocks":[{"text":{"fr":"Salut"}}]}"""), GuideTheme.Default, Context("de"), errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().ShouldBe(new ContentError("content.blocks[0]", "no text for language 'de' nor for the authored language 'en' (has fr)"));
    }

    [Fact]
    public void A_layout_is_filled_per_language_from_the_steps_slots()
    {
        var layout = Parse("""{"placement":"lightbox","blocks":[{"heading":{"en":"Welcome, {{name}}","fr":"Bienvenue, {{name}}"}},{"text":"{{body}}"},{"button":"OK","action":"next"}]}""");
        var step = Parse("""{"layout":{"id":"welcome","slots":{"name":"Ann","body":{"en":"Start here","fr":"Commencez ici"}}}}""");
        step.LayoutId.ShouldBe("welcome");

        var errors = new List<ContentError>();
        var filled = Layouts.Apply(layout, step, "en", errors)!;
        errors.ShouldBeEmpty();

        var french = StepRenderer.Render(filled, GuideTheme.Default, Context("fr"), errors)!.DomJson;
        ById(french, "pendo-heading-0")["content"]!.GetValue<string>().ShouldBe("Bienvenue, Ann");
        ById(french, "pendo-text-1")["content"]!.GetValue<string>().ShouldBe("Commencez ici");
        var english = StepRenderer.Render(filled, GuideTheme.Default, Context("en"), errors)!.DomJson;
        ById(english, "pendo-text-1")["content"]!.GetValue<string>().ShouldBe("Start here");
    }

    [Fact]
    public void A_layout_reports_unfilled_placeholders_and_unused_slots()
    {
        var layout = Parse("""{"placement":"banner","blocks":[{"text":"{{body}} {{body}}"}]}""");
        var step = Parse("""{"layout":{"id":"l","slots":{"bdy":"x"}}}""");

        var errors = new List<ContentError>();
        Layouts.Apply(layout, step, "en", errors).ShouldBeNull();

        errors.ShouldBe([
            new ContentError("content.layout.slots", "the layout's placeholder {{body}} has no slot 'body'"),
            new ContentError("content.layout.slots.bdy", "the layout has no placeholder {{bdy}}"),
        ]);
    }

    [Fact]
    public void The_same_input_renders_identical_json_and_poll_ids_depend_on_guide_step_and_block()
    {
        const string step = """{"placement":"lightbox","blocks":[{"poll":{"type":"nps","question":"?"}},{"poll":{"type":"freeText","question":"Why?"}},{"button":"Send","action":"next"}]}""";

        var first = Render(step);
        var second = Render(step);
        second.DomJson.ToJsonString().ShouldBe(first.DomJson.ToJsonString());
        second.PollIds.ShouldBe(first.PollIds);
        first.PollIds.Distinct().Count().ShouldBe(2);
        Render(step, context: Context(stepId: "step-c")).PollIds.ShouldNotBe(first.PollIds);
    }

    [Fact]
    public void A_goToStep_past_the_last_step_is_an_error_at_its_step_index()
    {
        var errors = new List<ContentError>();
        StepRenderer.Render(Parse("""{"placement":"lightbox","blocks":[{"button":"Go","action":"goToStep","stepIndex":3}]}"""), GuideTheme.Default, Context(), errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().ShouldBe(new ContentError("content.blocks[0].stepIndex", "stepIndex 3 is past the guide's last step (2)"));
    }

    public static TheoryData<string, string, bool> EveryPlacementAndBlock()
    {
        var data = new TheoryData<string, string, bool>();
        string[] placements = ["lightbox", "banner", "tooltip", "embedded"];
        foreach (var placement in placements)
            foreach (var language in new[] { "en", "fr" })
                foreach (var themed in new[] { false, true })
                    data.Add(placement, language, themed);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPlacementAndBlock))]
    public void Every_rendered_step_passes_the_validator(string placement, string language, bool themed)
    {
        var theme = themed
            ? StepContentParser.ParseTheme(JsonDocument.Parse("""{"fontFamily":"Georgia, serif","textColor":"#111","backgroundColor":"rgb(250, 250, 240)","primaryColor":"purple","buttonTextColor":"#fff","borderRadius":12,"width":520}""").RootElement, "theme", [])
            : null;
        var text = """{"en":"Hello","fr":"Bonjour"}""";
        var blocks = """
            {"heading":TEXT},{"text":TEXT},{"image":"https://cdn.example.com/x.png","alt":TEXT},
            {"poll":{"type":"singleChoice","question":TEXT,"options":[TEXT,"B"]}},
            {"poll":{"type":"freeText","question":TEXT}},
            {"poll":{"type":"numberScale","question":TEXT,"min":0,"max":10,"minLabel":TEXT,"maxLabel":TEXT}},
            {"poll":{"type":"nps","question":TEXT}},
            {"button":TEXT,"action":"previous"},{"button":TEXT,"action":"next"},{"button":TEXT,"action":"link","url":"/help"},
            {"button":TEXT,"action":"goToStep","stepIndex":2},{"button":TEXT,"action":"snooze"},{"button":TEXT,"action":"dismiss"}
            """.Replace("TEXT", text);
        var withPolicy = """{"heading":"Terms"},{"policy":{"version":"v1","text":{"en":"Terms","fr":"Conditions"}}},{"button":"Read more","action":"link","url":"https://example.com/terms"}""";

        foreach (var stepBlocks in new[] { blocks, withPolicy })
        {
            var rendered = Render($$"""{"placement":"{{placement}}","blocks":[{{stepBlocks}}]}""", theme, Context(language));
            Validate(rendered.DomJson).ShouldBeEmpty();
            var ids = Nodes(rendered.DomJson).Select(n => Prop(n, "id")).ToList();
            ids.ShouldAllBe(id => id != null);
            ids.Distinct().Count().ShouldBe(ids.Count);
        }
    }

    [Fact]
    public void A_raw_dom_json_must_declare_the_polls_it_uses()
    {
        var raw = """
            {"domJson":{"type":"div","props":{"id":"pendo-base"},"children":[{"type":"div","props":{"id":"pendo-g-s","data-vertical-alignment":"Centered"},
             "children":[{"type":"div","props":{"id":"pendo-guide-container"},"children":[{"type":"div","props":{"id":"q","data-pendo-poll-id":"pollA"},
             "children":[{"type":"textarea","props":{"id":"t"}}]}]}]}]},
             "polls":[POLLS]}
            """;

        ParseErrors(raw.Replace("POLLS", "")).ShouldHaveSingleItem().Message.ShouldStartWith("data-pendo-poll-id 'pollA' is used in domJson but not declared");
        var errors = new List<ContentError>();
        var rendered = StepRenderer.Render(Parse(raw.Replace("POLLS", """{"id":"pollA","type":"FreeForm","numericResponses":false}""")), GuideTheme.Default, Context(), errors)!;
        rendered.PollIds.ShouldBe(["pollA"]);
        Prop(rendered.DomJson, "id").ShouldBe("pendo-base");
    }

    private static bool IsReadInput(JsonObject node) =>
        (string)node["type"]! is "textarea" or "select" || (string)node["type"]! == "input" && Prop(node, "type") is "radio" or "text";

    private static string StepRendererPollId(int blockIndex)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"guide-1\nstep-b\n{blockIndex}"));
        return "poll-" + Convert.ToHexStringLower(hash)[..16];
    }
}

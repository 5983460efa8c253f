using System.Text.Json.Nodes;
using static Guidepost.Guides.Tests.Content.Content;

namespace Guidepost.Guides.Tests.Content;

public class BuildingBlockValidatorTests
{
    /// <summary>The lightbox of pendo-agent-protocol.md §5.8, verbatim.</summary>
    private const string ProtocolLightbox = """
        {"type":"div","props":{"id":"pendo-base","class":"_pendo-step-container"},"children":[
             {"type":"div","props":{"id":"pendo-g-step-bb-1","data-vertical-alignment":"Centered",
               "style":{"position":"fixed","top":"50%","left":"50%","width":"400px","z-index":"300000"}},
              "children":[
               {"type":"div","props":{"id":"pendo-guide-container","role":"dialog",
                 "style":{"background-color":"#ffffff","padding":"24px","border-radius":"6px",
                          "box-shadow":"0 0 20px rgba(0,0,0,.3)"}},
                "children":[
                 {"type":"h2","props":{"id":"pendo-title-1"},"content":"Hello from a self-hosted server"},
                 {"type":"p","props":{"id":"pendo-text-1"},"content":"This lightbox came from guide.json."},
                 {"type":"button","props":{"id":"pendo-button-ok","type":"button"},"content":"Got it",
                  "actions":[{"action":"advanceGuide","eventType":"click","parameters":[]}]},
                 {"type":"button","props":{"id":"pendo-close-guide-1","type":"button"},"content":"×",
                  "actions":[{"action":"dismissGuide","eventType":"click","parameters":[]}]}
                ]}]}]}
        """;

    private const string Button = "steps[1].domJson.children[0].children[0].children[2]";

    [Fact]
    public void Accepts_the_protocol_documents_lightbox() => Validate(ProtocolLightbox).ShouldBeEmpty();

    [Fact]
    public void A_missing_pendo_guide_container_is_named_at_the_pendo_g_container()
    {
        var tree = JsonNode.Parse(ProtocolLightbox)!;
        tree["children"]![0]!["children"]![0]!["props"]!["id"] = "content";

        var error = Validate(tree.ToJsonString()).ShouldHaveSingleItem();

        error.Path.ShouldBe("steps[1].domJson.children[0].children");
        error.Message.ShouldBe("the pendo-g- container needs a child with id 'pendo-guide-container'");
    }

    [Fact]
    public void A_root_without_pendo_base_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"pendo-base\"", "\"base\"")).ShouldHaveSingleItem();

        error.Path.ShouldBe("steps[1].domJson.props.id");
        error.Message.ShouldStartWith("the root node must have id 'pendo-base'");
    }

    [Fact]
    public void A_container_without_vertical_alignment_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"data-vertical-alignment\":\"Centered\",", "")).ShouldHaveSingleItem();

        error.Path.ShouldBe("steps[1].domJson.children[0].props['data-vertical-alignment']");
        error.Message.ShouldStartWith("the pendo-g- container needs data-vertical-alignment, one of ");
    }

    [Fact]
    public void An_unknown_tag_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"type\":\"h2\"", "\"type\":\"marquee\"")).ShouldHaveSingleItem();

        error.Path.ShouldBe("steps[1].domJson.children[0].children[0].children[0].type");
        error.Message.ShouldStartWith("unknown tag 'marquee'; expected one of a, b, blockquote");
    }

    [Fact]
    public void A_script_node_is_rejected_because_the_agent_turns_it_into_noscript()
    {
        var error = Validate(ProtocolLightbox.Replace("\"type\":\"p\"", "\"type\":\"script\"")).ShouldHaveSingleItem();

        error.Path.ShouldBe("steps[1].domJson.children[0].children[0].children[1].type");
        error.Message.ShouldContain("<noscript>");
    }

    [Fact]
    public void An_onclick_prop_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"id\":\"pendo-button-ok\",", "\"id\":\"pendo-button-ok\",\"onclick\":\"alert(1)\",")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.props.onclick");
        error.Message.ShouldBe("inline event handler 'onclick' is not allowed; attach behaviour with actions");
    }

    [Fact]
    public void A_prop_outside_the_agents_allow_list_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"id\":\"pendo-button-ok\",", "\"id\":\"pendo-button-ok\",\"checked\":\"\",")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.props.checked");
        error.Message.ShouldStartWith("prop 'checked' is not allowed");
    }

    [Fact]
    public void A_javascript_href_is_rejected_even_when_disguised()
    {
        var errors = Validate(ProtocolLightbox.Replace("\"type\":\"h2\",\"props\":{", "\"type\":\"a\",\"props\":{\"href\":\" Java\\tScript:alert(1)\","));

        var error = errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("steps[1].domJson.children[0].children[0].children[0].props.href");
        error.Message.ShouldBe("href uses the javascript: scheme; expected an http(s), mailto or relative URL");
    }

    [Fact]
    public void An_unknown_action_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("\"advanceGuide\"", "\"runScript\"")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.actions[0].action");
        error.Message.ShouldStartWith("unknown action 'runScript'; expected one of advanceGuide, confirmation, dismissGuide, goToStep");
    }

    [Fact]
    public void A_goToStep_without_its_step_id_parameter_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("{\"action\":\"advanceGuide\",\"eventType\":\"click\",\"parameters\":[]}",
            "{\"action\":\"goToStep\",\"eventType\":\"click\",\"parameters\":[{\"name\":\"stepId\",\"value\":\"step-2\"}]}")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.actions[0].parameters");
        error.Message.ShouldBe("goToStep needs a parameter {\"name\":\"goToStepId\",\"value\":<non-empty string>}");
    }

    [Fact]
    public void An_openLink_to_javascript_is_rejected()
    {
        var error = Validate(ProtocolLightbox.Replace("{\"action\":\"advanceGuide\",\"eventType\":\"click\",\"parameters\":[]}",
            "{\"action\":\"openLink\",\"eventType\":\"click\",\"parameters\":[{\"name\":\"url\",\"value\":\"javascript:alert(1)\"},{\"name\":\"target\",\"value\":\"_blank\"}]}")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.actions[0].parameters");
        error.Message.ShouldBe("openLink url uses the javascript: scheme; expected an http(s), mailto or relative URL");
    }

    [Fact]
    public void A_parameter_without_a_name_is_malformed()
    {
        var error = Validate(ProtocolLightbox.Replace("\"parameters\":[]}]},\n", "\"parameters\":[{\"value\":1}]}]},\n")).ShouldHaveSingleItem();

        error.Path.ShouldBe($"{Button}.actions[0].parameters[0]");
        error.Message.ShouldBe("expected a parameter {name: string, value, type?}");
    }

    [Fact]
    public void Excessive_depth_is_reported_once_at_the_first_node_too_deep()
    {
        var tree = JsonNode.Parse(ProtocolLightbox)!;
        var deepest = tree["children"]![0]!["children"]![0]!.AsObject();
        var path = "steps[1].domJson.children[0].children[0]";
        for (var depth = 4; depth <= 25; depth++)
        {
            var child = new JsonObject { ["type"] = "div" };
            deepest["children"] = new JsonArray(child);
            deepest = child;
            path += ".children[0]";
        }

        var error = Validate(tree.ToJsonString()).ShouldHaveSingleItem();

        error.Path.ShouldBe(path);
        error.Message.ShouldBe("the tree is nested deeper than 24 levels");
    }

    [Fact]
    public void Collects_every_problem_instead_of_stopping_at_the_first()
    {
        var errors = Validate(ProtocolLightbox.Replace("\"type\":\"p\"", "\"type\":\"script\"").Replace("\"advanceGuide\"", "\"runScript\"").Replace("\"pendo-text-1\"", "\"pendo-title-1\""));

        errors.Select(e => e.Path).ShouldBe([
            "steps[1].domJson.children[0].children[0].children[1].type",
            "steps[1].domJson.children[0].children[0].children[1].props.id",
            $"{Button}.actions[0].action",
        ]);
        errors[1].Message.ShouldStartWith("id 'pendo-title-1' is already used at steps[1].domJson.children[0].children[0].children[0].props.id");
    }
}

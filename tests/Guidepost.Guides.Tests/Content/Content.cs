using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Guides.Content;

namespace Guidepost.Guides.Tests.Content;

/// <summary>Helpers shared by the content tests: parse, render and validate from JSON text.</summary>
internal static class Content
{
    public static readonly string[] StepIds = ["step-a", "step-b", "step-c"];

    public static RenderContext Context(string language = "en", string stepId = "step-b") =>
        new("guide-1", stepId, StepIds, language, AuthoredLanguage: "en");

    public static List<ContentError> Validate(string json)
    {
        var errors = new List<ContentError>();
        BuildingBlockValidator.Validate(JsonDocument.Parse(json).RootElement, "steps[1].domJson", errors);
        return errors;
    }

    public static List<ContentError> Validate(JsonNode node)
    {
        var errors = new List<ContentError>();
        BuildingBlockValidator.Validate(JsonSerializer.SerializeToElement(node), "domJson", errors);
        return errors;
    }

    public static StepContent Parse(string json)
    {
        var errors = new List<ContentError>();
        var content = StepContentParser.Parse(JsonDocument.Parse(json).RootElement, "content", errors);
        errors.ShouldBeEmpty();
        return content!;
    }

    public static List<ContentError> ParseErrors(string json)
    {
        var errors = new List<ContentError>();
        StepContentParser.Parse(JsonDocument.Parse(json).RootElement, "content", errors).ShouldBeNull();
        return errors;
    }

    public static RenderedStep Render(string json, GuideTheme? theme = null, RenderContext? context = null)
    {
        var errors = new List<ContentError>();
        var rendered = StepRenderer.Render(Parse(json), theme ?? GuideTheme.Default, context ?? Context(), errors);
        errors.ShouldBeEmpty();
        return rendered!;
    }

    /// <summary>Every node of the tree, depth first.</summary>
    public static IEnumerable<JsonObject> Nodes(JsonObject node)
    {
        yield return node;
        if (node["children"] is JsonArray children)
            foreach (var child in children)
                foreach (var descendant in Nodes(child!.AsObject())) yield return descendant;
    }

    public static JsonObject ById(JsonObject root, string id) => Nodes(root).Single(n => (string?)n["props"]?["id"] == id);

    public static string? Prop(JsonObject node, string name) => (string?)node["props"]?[name];

    public static string Actions(JsonObject node) => node["actions"]!.ToJsonString();
}

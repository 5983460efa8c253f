using System.Text.Json.Nodes;

namespace Guidepost.Guides.Content;

/// <summary>Renders single blocks for <see cref="StepRenderer"/>. Poll markup follows what the Pendo agent's
/// <c>EventRouter.submitPoll</c> reads: for each element carrying <c>data-pendo-poll-id</c>, the first
/// <c>textarea</c>, text <c>input</c>, <c>select</c> or checked radio inside it gives that poll's answer
/// (parsed as an integer when the poll has <c>numericResponses</c>), and the step's <c>Poll</c> behaviour
/// sends it as a <c>pollResponse</c>. So exactly one element per poll wraps the inputs.</summary>
internal sealed class BlockRenderer(GuideTheme theme, RenderContext context, ICollection<ContentError> errors, bool submitsPolls)
{
    private int blockIndex;

    public List<PollInfo> Polls { get; } = [];

    public static string IdOf(Block block, int index) => block switch
    {
        HeadingBlock => $"pendo-heading-{index}",
        TextBlock => $"pendo-text-{index}",
        ImageBlock => $"pendo-image-{index}",
        ButtonBlock => $"pendo-button-{index}",
        PollBlock => $"pendo-poll-{index}",
        _ => $"pendo-policy-{index}",
    };

    public JsonObject Render(Block block, int index)
    {
        blockIndex = index;
        var id = IdOf(block, index);
        return block switch
        {
            HeadingBlock heading => Dom.Node("h2", Dom.Props(id).With("style", TextStyle("20px", ("font-weight", "600"))), Text(heading.Text, heading.Path)),
            TextBlock text => Dom.Node("p", Dom.Props(id).With("style", TextStyle("14px", ("line-height", "1.5"))), Text(text.Text, text.Path)),
            ImageBlock image => Dom.Node("img", Dom.Props(id, ("src", image.Url), ("alt", image.Alt is null ? "" : Text(image.Alt, image.Path)))
                .With("style", Dom.Style(("display", "block"), ("max-width", "100%"), ("margin", "0 0 12px")))),
            ButtonBlock button => Button(id, button),
            PollBlock poll => Poll(id, poll),
            PolicyBlock policy => Policy(id, policy),
            _ => throw new InvalidOperationException($"unknown block {block.GetType().Name}"),
        };
    }

    private JsonObject Button(string id, ButtonBlock button)
    {
        var action = button.Action switch
        {
            ButtonAction.Next => submitsPolls ? Dom.Action("submitPoll") : Dom.Action("advanceGuide"),
            ButtonAction.Previous => Dom.Action("previousStep"),
            ButtonAction.Dismiss => Dom.Action("dismissGuide"),
            ButtonAction.Snooze => Dom.Action("guideSnoozed"),
            ButtonAction.Link => Dom.Action("openLink", ("url", button.Url!), ("target", button.Target!)),
            ButtonAction.ShowGuide => Dom.Action("showGuide", ("guideId", button.GuideId!)),
            _ => GoToStep(button),
        };
        if (button.Action == ButtonAction.Previous && context.GuideStepIds[0] == context.StepId)
            errors.Add(new(JsonPath.Member(button.Path, "action"), "previous on the guide's first step does nothing"));
        var primary = button.Action is ButtonAction.Next or ButtonAction.GoToStep or ButtonAction.Link;
        return Dom.Node("button", Dom.Props(id, ("type", "button")).With("style", ButtonStyle(primary)), Text(button.Label, button.Path), action: action);
    }

    /// <summary><c>goToStep</c> names its destination by step id (parameter <c>goToStepId</c>); on a step with
    /// polls, <c>submitPollAndGoToStep</c> sends the answers first.</summary>
    private JsonObject GoToStep(ButtonBlock button)
    {
        var stepIds = context.GuideStepIds;
        var index = button.StepIndex!.Value;
        var path = JsonPath.Member(button.Path, "stepIndex");
        if (index >= stepIds.Count)
            errors.Add(new(path, $"stepIndex {index} is past the guide's last step ({stepIds.Count - 1})"));
        else if (stepIds[index] == context.StepId)
            errors.Add(new(path, "stepIndex points at this step; the agent ignores a goToStep to the current step"));
        var destination = index < stepIds.Count ? stepIds[index] : "";
        return Dom.Action(submitsPolls ? "submitPollAndGoToStep" : "goToStep", ("goToStepId", destination));
    }

    private JsonObject Poll(string id, PollBlock poll)
    {
        var pollId = StepRenderer.PollId(context, blockIndex);
        var (type, numeric, kindClass) = poll.Kind switch
        {
            PollKind.SingleChoice => ("PickList", false, "multi-choice"),
            PollKind.FreeText => ("FreeForm", false, "open-text"),
            PollKind.NumberScale => ("NumberScale", true, "number-scale"),
            _ => ("NPSRating", true, "nps"),
        };
        Polls.Add(new PollInfo(pollId, type, numeric));

        var questionId = $"{id}-question";
        var answersId = $"{id}-answers";
        var question = Dom.Node("div",
            Dom.Props(questionId, ("class", $"bb-text _pendo-{kindClass}-poll-question"), ("data-pendo-poll-id", pollId))
                .With("style", TextStyle("15px", ("font-weight", "600"))),
            Text(poll.Question, poll.Path));

        JsonObject answers;
        if (poll.Kind == PollKind.FreeText)
        {
            // The textarea carries the poll id too (as Pendo's own markup does); it has no descendants, so
            // submitPoll reads it once, through the wrapper.
            var textarea = Dom.Node("textarea", Dom.Props($"{id}-input", ("class", "_pendo-open-text-poll-input"),
                    ("data-pendo-poll-id", pollId), ("aria-labelledby", questionId), ("rows", "3"))
                .With("style", Dom.Style(("width", "100%"), ("box-sizing", "border-box"), ("font-family", theme.FontFamily))));
            answers = Dom.Node("div", Dom.Props(answersId, ("class", "_pendo-open-text-poll-wrapper"), ("data-pendo-poll-id", pollId), ("name", pollId)),
                children: [textarea]);
        }
        else
        {
            var choices = poll.Kind == PollKind.SingleChoice
                ? poll.Options.Select(option => (Value: AnswerValue(option), Label: Text(option, poll.Path))).ToList()
                : Enumerable.Range(poll.Min, poll.Max - poll.Min + 1).Select(n => (Value: n.ToString(), Label: n.ToString())).ToList();
            var wrapperClass = poll.Kind == PollKind.SingleChoice ? "_pendo-multi-choice-poll-select-border" : "_pendo-number-scale-poll-wrapper";
            var scale = poll.Kind != PollKind.SingleChoice;
            answers = Dom.Node("div",
                Dom.Props(answersId, ("class", wrapperClass), ("data-pendo-poll-id", pollId), ("name", pollId), ("role", "radiogroup"), ("aria-labelledby", questionId))
                    .With("style", scale ? Dom.Style(("display", "flex"), ("gap", "4px")) : Dom.Style(("margin", "0 0 12px"))),
                children: choices.Select((choice, i) => Choice(id, pollId, poll.Kind, i, choice.Value, choice.Label)));
        }

        var children = new List<JsonObject> { question, answers };
        if (poll.MinLabel is not null || poll.MaxLabel is not null)
            children.Add(Dom.Node("div", Dom.Props($"{id}-labels").With("style", Dom.Style(("display", "flex"), ("justify-content", "space-between"), ("font-size", "12px"), ("margin", "4px 0 12px"))),
                children:
                [
                    Dom.Node("span", Dom.Props($"{id}-min-label"), poll.MinLabel is null ? "" : Text(poll.MinLabel, poll.Path)),
                    Dom.Node("span", Dom.Props($"{id}-max-label"), poll.MaxLabel is null ? "" : Text(poll.MaxLabel, poll.Path)),
                ]));
        return Dom.Node("div", Dom.Props(id, ("class", $"_pendo-{kindClass}-poll")), children: children);
    }

    /// <summary>A radio and its label, adjacent (the agent's poll branching looks for <c>:checked + label</c>).
    /// NPS wrappers carry <c>_pendo-nps-poll-{n}-wrapper</c>, which the agent checks to recognise NPS.</summary>
    private static JsonObject Choice(string blockId, string pollId, PollKind kind, int index, string value, string label)
    {
        var inputId = $"{blockId}-option-{index}";
        var wrapperClass = kind == PollKind.Nps ? $"_pendo-nps-poll-{value}-wrapper" : "_pendo-poll-choice";
        return Dom.Node("span", Dom.Props($"{inputId}-wrapper", ("class", wrapperClass)).With("style", Dom.Style(("display", kind == PollKind.SingleChoice ? "block" : "inline-block"))),
            children:
            [
                Dom.Node("input", Dom.Props(inputId, ("type", "radio"), ("class", "pendo-radio"), ("name", pollId), ("value", value), ("data-pendo-poll-id", pollId))),
                Dom.Node("label", Dom.Props($"{inputId}-label", ("for", inputId)), label),
            ]);
    }

    /// <summary>Accepting sends a <c>pollResponse</c> whose <c>poll_response</c> is the policy version (read by
    /// <c>submitPoll</c> from a hidden text input inside the poll element, <c>poll_type</c> <c>PolicyAcceptance</c>),
    /// then advances the step (<c>guideAdvanced</c>): the server records both per visitor.</summary>
    private JsonObject Policy(string id, PolicyBlock policy)
    {
        var pollId = StepRenderer.PollId(context, blockIndex);
        Polls.Add(new PollInfo(pollId, "PolicyAcceptance", NumericResponses: false));
        return Dom.Node("div", Dom.Props(id, ("class", "_pendo-policy")), children:
        [
            Dom.Node("div", Dom.Props($"{id}-text", ("class", "bb-text")).With("style", TextStyle("14px", ("line-height", "1.5"), ("max-height", "50vh"), ("overflow", "auto"))),
                Text(policy.Text, policy.Path)),
            Dom.Node("div", Dom.Props($"{id}-acceptance", ("data-pendo-poll-id", pollId), ("aria-hidden", "true")).With("style", Dom.Style(("display", "none"))),
                children: [Dom.Node("input", Dom.Props($"{id}-version", ("type", "text"), ("value", policy.Version), ("tabindex", "-1")))]),
            Dom.Node("button", Dom.Props($"pendo-button-accept-{blockIndex}", ("type", "button")).With("style", ButtonStyle(primary: true)),
                Text(policy.Accept, policy.Path), action: Dom.Action("submitPoll")),
        ]);
    }

    /// <summary>The answer sent for a choice: its authored-language text, so responses agree whatever
    /// language the visitor saw.</summary>
    private string AnswerValue(LocalizedText option) =>
        option.Resolve(context.AuthoredLanguage, context.AuthoredLanguage) ?? option.ByLanguage.Values.First();

    private string Text(LocalizedText text, string path)
    {
        if (text.Resolve(context.Language, context.AuthoredLanguage) is { } resolved) return resolved;
        errors.Add(new(path, $"no text for language '{context.Language}' nor for the authored language '{context.AuthoredLanguage}' (has {string.Join(", ", text.ByLanguage.Keys)})"));
        return "";
    }

    private JsonObject TextStyle(string fontSize, params (string, string)[] more) =>
        Dom.Style([("margin", "0 0 12px"), ("font-size", fontSize), ("color", theme.TextColor), ("font-family", theme.FontFamily), .. more]);

    private JsonObject ButtonStyle(bool primary) => Dom.Style(
        ("background-color", primary ? theme.PrimaryColor : "transparent"),
        ("color", primary ? theme.ButtonTextColor : theme.PrimaryColor),
        ("border", $"1px solid {theme.PrimaryColor}"), ("border-radius", $"{theme.BorderRadius}px"),
        ("padding", "8px 16px"), ("margin", "4px 8px 0 0"), ("font-family", theme.FontFamily), ("font-size", "14px"), ("cursor", "pointer"));
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Guidepost.Guides.Content;

/// <summary>Renders a step's blocks into the building-block <c>domJson</c> both agents display, in the
/// skeleton the Pendo agent needs: <c>pendo-base</c> → <c>pendo-g-{stepId}</c> → <c>pendo-guide-container</c>.</summary>
public static class StepRenderer
{
    public const string BackdropColor = "rgba(0, 0, 0, 0.45)";
    private const string GuideZIndex = "300000";

    /// <summary>Renders <paramref name="content"/>; returns null after adding errors when a text has no
    /// version for the language or a button's destination does not exist. A raw <c>domJson</c> is returned
    /// as given (it was validated when parsed); a layout reference must be applied first.</summary>
    public static RenderedStep? Render(StepContent content, GuideTheme theme, RenderContext context, ICollection<ContentError> errors)
    {
        foreach (var id in new[] { context.GuideId, context.StepId })
            if (!BuildingBlockRules.SelectorSafeId().IsMatch(id))
                throw new ArgumentException($"id '{id}' is not selector-safe (a letter, then letters, digits, '-' and '_')", nameof(context));
        if (!context.GuideStepIds.Contains(context.StepId))
            throw new ArgumentException("GuideStepIds must hold StepId", nameof(context));
        if (content.LayoutId is not null)
            throw new ArgumentException("the step references a layout: apply it with Layouts.Apply first", nameof(content));
        if (content.DomJson is not null)
            return new RenderedStep(content.DomJson.DeepClone().AsObject(), content.DeclaredPolls, new JsonObject());

        var before = errors.Count;
        var blocks = new BlockRenderer(theme, context, errors, submitsPolls: content.Blocks.Any(b => b is PollBlock or PolicyBlock));
        var rendered = content.Blocks.Select(blocks.Render).ToList();
        return errors.Count != before ? null : Assemble(content, theme, context, rendered, blocks.Polls);
    }

    private static RenderedStep Assemble(StepContent content, GuideTheme theme, RenderContext context, List<JsonObject> blocks, List<PollInfo> polls)
    {
        var holdsPolicy = content.Blocks.Any(b => b is PolicyBlock);
        if (!holdsPolicy) blocks.Add(CloseButton(theme, context));

        var containerStyle = Dom.Style(
            ("position", "relative"), ("box-sizing", "border-box"), ("background-color", theme.BackgroundColor),
            ("color", theme.TextColor), ("font-family", theme.FontFamily), ("padding", "24px 40px 20px 24px"));
        if (content.Placement != Placement.Banner)
        {
            containerStyle["border-radius"] = $"{theme.BorderRadius}px";
            containerStyle["box-shadow"] = "0 2px 20px rgba(0, 0, 0, 0.25)";
        }
        var containerProps = Dom.Props("pendo-guide-container", ("role", "dialog")).With("style", containerStyle);
        if (content.Blocks.OfType<HeadingBlock>().FirstOrDefault() is { } heading)
            containerProps["aria-labelledby"] = BlockRenderer.IdOf(heading, content.Blocks.ToList().IndexOf(heading));
        if (content.Placement == Placement.Tooltip)
        {
            containerProps["data-caret-height"] = "8";
            containerProps["data-caret-width"] = "16";
        }

        var width = $"{content.Width ?? theme.Width}px";
        var (alignment, placementStyle) = content.Placement switch
        {
            Placement.Lightbox => ("Centered", Dom.Style(("position", "fixed"), ("top", "50%"), ("left", "50%"), ("width", width), ("z-index", GuideZIndex))),
            Placement.Banner when content.Position == "bottom" =>
                ("Bottom Aligned", Dom.Style(("position", "fixed"), ("bottom", "0"), ("left", "0"), ("right", "0"), ("z-index", GuideZIndex))),
            Placement.Banner => ("Top Aligned", Dom.Style(("position", "fixed"), ("top", "0"), ("left", "0"), ("right", "0"), ("z-index", GuideZIndex))),
            Placement.Tooltip => (BuildingBlockRules.RelativeToElement, Dom.Style(("position", "absolute"), ("width", width), ("z-index", GuideZIndex))),
            // No width: with one, the agent's recalculateGuideWidth would add centring margins inside the host element.
            _ => ("Top Aligned", Dom.Style(("position", "relative"))),
        };
        var guide = Dom.Node("div",
            Dom.Props($"pendo-g-{context.StepId}", ("data-vertical-alignment", alignment)).With("style", placementStyle),
            children: [Dom.Node("div", containerProps, children: blocks)]);

        var rootChildren = new List<JsonObject>();
        if (content.Placement == Placement.Lightbox || holdsPolicy)
            rootChildren.Add(Dom.Node("div", Dom.Props("pendo-backdrop").With("style", Dom.Style(
                ("position", "fixed"), ("top", "0"), ("left", "0"), ("right", "0"), ("bottom", "0"),
                ("background-color", BackdropColor), ("z-index", "299999")))));
        rootChildren.Add(guide);
        var root = Dom.Node("div", Dom.Props("pendo-base", ("class", "_pendo-step-container")), children: rootChildren);

        var attributes = new JsonObject();
        if (content.Placement == Placement.Tooltip) attributes["layoutDir"] = content.Position ?? "auto";
        return new RenderedStep(root, polls, attributes);
    }

    /// <summary>Its <c>dismissGuide</c> action also makes ESC dismiss the guide (<c>buildNodeFromJSON</c>).</summary>
    private static JsonObject CloseButton(GuideTheme theme, RenderContext context) =>
        Dom.Node("button",
            Dom.Props($"pendo-close-guide-{context.StepId}", ("type", "button"), ("aria-label", "Close")).With("style", Dom.Style(
                ("position", "absolute"), ("top", "8px"), ("right", "8px"), ("background", "transparent"), ("border", "none"),
                ("font-size", "20px"), ("line-height", "1"), ("color", theme.TextColor), ("cursor", "pointer"))),
            content: "×", action: Dom.Action("dismissGuide"));

    /// <summary>A poll id stable for the same guide, step and block position, and safe in the agent's
    /// unescaped <c>[data-pendo-poll-id=…]</c> selectors.</summary>
    internal static string PollId(RenderContext context, int blockIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{context.GuideId}\n{context.StepId}\n{blockIndex}"));
        return "poll-" + Convert.ToHexStringLower(hash)[..16];
    }
}

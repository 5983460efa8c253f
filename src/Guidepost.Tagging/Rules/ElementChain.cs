using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Guidepost.Tagging.Rules;

/// <summary>A captured element path (leaf first, up to BODY, as ingestion stores it) rebuilt as a small DOM,
/// so CSS selectors run against it exactly as a browser would run them against the page.</summary>
/// <remarks>Each element gets as many placeholder siblings before it as its captured <c>childIndex</c>, so
/// <c>:nth-child</c> and <c>+</c>/<c>~</c> position tests see the right position; placeholders match no
/// selector that names a real tag, class or id.</remarks>
public sealed class ElementChain
{
    private const string Placeholder = "gp-sibling";
    private static readonly HtmlParser Parser = new();

    private ElementChain(IReadOnlyList<IElement> elements) => Elements = elements;

    /// <summary>The clicked element first, then its ancestors up to BODY.</summary>
    public IReadOnlyList<IElement> Elements { get; }

    public static ElementChain Parse(string elementPath)
    {
        using var json = JsonDocument.Parse(elementPath);
        var nodes = json.RootElement.EnumerateArray().Reverse().ToList(); // BODY first
        var document = Parser.ParseDocument("<!doctype html><html><head></head><body></body></html>");
        var built = new List<IElement>(nodes.Count);
        IElement? parent = null;
        foreach (var node in nodes)
        {
            var tag = Text(node, "tag") ?? "div";
            IElement element;
            if (parent is null && tag.Equals("BODY", StringComparison.OrdinalIgnoreCase)) element = document.Body!;
            else
            {
                element = Create(document, tag);
                var container = parent ?? document.Body!;
                for (var i = Number(node, "childIndex"); i > 0; i--) container.AppendChild(document.CreateElement(Placeholder));
                container.AppendChild(element);
            }
            if (Text(node, "id") is { } id) element.Id = id;
            if (Text(node, "cls") is { } cls) element.ClassName = cls;
            if (Text(node, "title") is { } title) element.SetAttribute("title", title);
            if (node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
                foreach (var attribute in attrs.EnumerateObject())
                    TrySetAttribute(element, attribute.Name, attribute.Value.ValueKind == JsonValueKind.String ? attribute.Value.GetString()! : attribute.Value.GetRawText());
            if (Text(node, "txt") is { } txt) element.AppendChild(document.CreateTextNode(txt));
            built.Add(element);
            parent = element;
        }
        built.Reverse();
        return new ElementChain(built);
    }

    private static IElement Create(IDocument document, string tag)
    {
        try
        {
            return document.CreateElement(tag.StartsWith('#') ? "gp-" + tag.TrimStart('#') : tag);
        }
        catch (DomException)
        {
            return document.CreateElement("gp-element"); // a name the DOM refuses matches no tag selector
        }
    }

    private static void TrySetAttribute(IElement element, string name, string value)
    {
        try
        {
            element.SetAttribute(name, value);
        }
        catch (DomException)
        {
            // An attribute name no selector could name either.
        }
    }

    private static string? Text(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int Number(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? Math.Clamp(n, 0, 1000) : 0;
}

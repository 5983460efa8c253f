using System.Text.Json;
using static Guidepost.Guides.Content.BuildingBlockRules;

namespace Guidepost.Guides.Content;

/// <summary>Checks a building-block <c>domJson</c> tree against what the agents render: node shape, tags,
/// props, actions, the required skeleton, and size. Reports every problem with its path.</summary>
public static class BuildingBlockValidator
{
    public static void Validate(JsonElement tree, string path, ICollection<ContentError> errors)
    {
        var walk = new Walk(errors);
        walk.Node(tree, path, depth: 1);
        if (tree.ValueKind == JsonValueKind.Object) CheckSkeleton(tree, path, errors);
    }

    private sealed class Walk(ICollection<ContentError> errors)
    {
        private readonly Dictionary<string, string> idPaths = new(StringComparer.Ordinal);
        private int nodes;

        public void Node(JsonElement node, string path, int depth)
        {
            if (depth > MaxDepth)
            {
                errors.Add(new(path, $"the tree is nested deeper than {MaxDepth} levels"));
                return;
            }
            if (++nodes == MaxNodes + 1) errors.Add(new(path, $"the tree has more than {MaxNodes} nodes"));
            if (node.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "expected a node object {type, props?, content?, children?, actions?, css?}"));
                return;
            }
            foreach (var member in node.EnumerateObject())
                if (!NodeKeys.Contains(member.Name))
                    errors.Add(new(JsonPath.Member(path, member.Name), $"unknown node key '{member.Name}'; expected type, props, content, children, actions or css"));

            var type = TypeOf(node, path);
            if (node.TryGetProperty("props", out var props)) CheckProps(props, type, JsonPath.Member(path, "props"));
            if (node.TryGetProperty("content", out var content) && !IsBoundedString(content))
                errors.Add(new(JsonPath.Member(path, "content"), $"expected a string of at most {MaxStringLength} characters"));
            if (node.TryGetProperty("css", out var css)) CheckCss(css, type, JsonPath.Member(path, "css"));
            if (node.TryGetProperty("actions", out var actions)) CheckActions(actions, JsonPath.Member(path, "actions"));
            if (node.TryGetProperty("children", out var children))
            {
                var childrenPath = JsonPath.Member(path, "children");
                if (children.ValueKind != JsonValueKind.Array)
                    errors.Add(new(childrenPath, "expected an array of nodes"));
                else
                    for (var i = 0; i < children.GetArrayLength(); i++)
                        Node(children[i], JsonPath.Index(childrenPath, i), depth + 1);
            }
        }

        private string? TypeOf(JsonElement node, string path)
        {
            var typePath = JsonPath.Member(path, "type");
            if (!node.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(typePath, "expected a tag name string"));
                return null;
            }
            var type = typeElement.GetString()!;
            if (type.Equals("script", StringComparison.OrdinalIgnoreCase))
                errors.Add(new(typePath, "script nodes are not allowed: the agent renders them as an empty <noscript>, so the code would never run; use actions"));
            else if (!Tags.Contains(type))
                errors.Add(new(typePath, $"unknown tag '{type}'; expected one of {string.Join(", ", Tags.Order(StringComparer.Ordinal))}"));
            return type;
        }

        private void CheckProps(JsonElement props, string? type, string path)
        {
            if (props.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "expected an object of props"));
                return;
            }
            foreach (var prop in props.EnumerateObject())
            {
                var name = prop.Name;
                var propPath = JsonPath.Member(path, name);
                if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                    errors.Add(new(propPath, $"inline event handler '{name}' is not allowed; attach behaviour with actions"));
                else if (name == "style")
                    CheckStyle(prop.Value, propPath);
                else if (name == "data-pendo-code-block")
                    errors.Add(new(propPath, "data-pendo-code-block injects the step's HTML content and is not allowed"));
                else if (!Props.Contains(name) && !name.StartsWith("data-", StringComparison.Ordinal) && !name.StartsWith("aria-", StringComparison.Ordinal))
                    errors.Add(new(propPath, $"prop '{name}' is not allowed; the agent accepts {string.Join(", ", BuildingBlockRules.Props.Order(StringComparer.Ordinal))}, data-* and aria-*"));
                else if (prop.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                         || (prop.Value.ValueKind == JsonValueKind.String && !IsBoundedString(prop.Value)))
                    errors.Add(new(propPath, $"expected a string, number or boolean (strings of at most {MaxStringLength} characters)"));
                else if (UrlProps.Contains(name) && prop.Value.ValueKind == JsonValueKind.String
                         && UnsafeScheme(prop.Value.GetString()!, allowDataImages: name == "src" && type == "img") is { } scheme)
                    errors.Add(new(propPath, $"{name} uses the {scheme} scheme; expected an http(s), mailto or relative URL"));
                else if (name == "id") CheckId(prop.Value, propPath);
            }
            if (props.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "pendo-backdrop"
                && !(props.TryGetProperty("style", out var style) && style.ValueKind == JsonValueKind.Object))
                errors.Add(new(JsonPath.Member(path, "style"), "pendo-backdrop needs a style object (the agent copies it onto the backdrop regions)"));
        }

        private void CheckId(JsonElement id, string path)
        {
            var value = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
            if (!SelectorSafeId().IsMatch(value))
                errors.Add(new(path, $"id '{value}' must start with a letter and hold only letters, digits, '-' and '_' (the agent looks ids up with unescaped selectors)"));
            else if (!idPaths.TryAdd(value, path))
                errors.Add(new(path, $"id '{value}' is already used at {idPaths[value]}; ids must be unique within a step"));
        }

        private void CheckStyle(JsonElement style, string path)
        {
            if (style.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "style must be an object of CSS property → string value"));
                return;
            }
            foreach (var property in style.EnumerateObject())
            {
                var propertyPath = JsonPath.Member(path, property.Name);
                if (property.Value.ValueKind != JsonValueKind.String)
                    errors.Add(new(propertyPath, "expected a string value"));
                else if (IsUnsafeStyleValue(property.Value.GetString()!))
                    errors.Add(new(propertyPath, "style values may not contain javascript: or expression("));
            }
        }

        private void CheckCss(JsonElement css, string? type, string path)
        {
            if (type != "style")
            {
                errors.Add(new(path, "css is only read on nodes of type 'style'"));
                return;
            }
            if (css.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(path, "expected an array of {selector, styles}"));
                return;
            }
            for (var i = 0; i < css.GetArrayLength(); i++)
            {
                var rulePath = JsonPath.Index(path, i);
                var rule = css[i];
                if (rule.ValueKind != JsonValueKind.Object
                    || !rule.TryGetProperty("selector", out var selector) || selector.ValueKind != JsonValueKind.String
                    || !rule.TryGetProperty("styles", out var styles))
                    errors.Add(new(rulePath, "expected {selector: string, styles: object of property → string}"));
                else if (styles.ValueKind == JsonValueKind.Array)
                    CheckCss(styles, type, JsonPath.Member(rulePath, "styles"));
                else
                    CheckStyle(styles, JsonPath.Member(rulePath, "styles"));
            }
        }

        private void CheckActions(JsonElement actions, string path)
        {
            if (actions.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(path, "expected an array of {action, eventType, parameters}"));
                return;
            }
            for (var i = 0; i < actions.GetArrayLength(); i++) CheckAction(actions[i], JsonPath.Index(path, i));
        }

        private void CheckAction(JsonElement action, string path)
        {
            if (action.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "expected {action, eventType, parameters}"));
                return;
            }
            foreach (var member in action.EnumerateObject())
                if (member.Name is not ("action" or "eventType" or "parameters" or "source" or "uiMetadata"))
                    errors.Add(new(JsonPath.Member(path, member.Name), $"unknown action key '{member.Name}'; expected action, eventType, parameters (and source for show/hideElements)"));

            if (!action.TryGetProperty("eventType", out var eventType) || eventType.ValueKind != JsonValueKind.String || !EventTypes.Contains(eventType.GetString()!))
                errors.Add(new(JsonPath.Member(path, "eventType"), "expected eventType \"click\", \"change\" or \"input\""));

            var parameters = CheckParameters(action, JsonPath.Member(path, "parameters"));
            if (!action.TryGetProperty("action", out var name) || name.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(JsonPath.Member(path, "action"), "expected the action name as a string"));
                return;
            }
            if (!BuildingBlockRules.Actions.TryGetValue(name.GetString()!, out var checkParameters))
                errors.Add(new(JsonPath.Member(path, "action"), $"unknown action '{name.GetString()}'; expected one of {string.Join(", ", BuildingBlockRules.Actions.Keys.Order(StringComparer.Ordinal))}"));
            else if (parameters is not null && checkParameters(parameters) is { } problem)
                errors.Add(new(JsonPath.Member(path, "parameters"), $"{name.GetString()} {problem}"));
        }

        /// <summary>The parameters when every one is a well-formed {name, value}; null after reporting otherwise.</summary>
        private List<JsonElement>? CheckParameters(JsonElement action, string path)
        {
            if (!action.TryGetProperty("parameters", out var parameters)) return [];
            if (parameters.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(path, "expected an array of {name, value}"));
                return null;
            }
            var wellFormed = true;
            for (var i = 0; i < parameters.GetArrayLength(); i++)
            {
                var parameter = parameters[i];
                if (parameter.ValueKind != JsonValueKind.Object
                    || !parameter.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !parameter.TryGetProperty("value", out _))
                {
                    errors.Add(new(JsonPath.Index(path, i), "expected a parameter {name: string, value, type?}"));
                    wellFormed = false;
                }
            }
            return wellFormed ? parameters.EnumerateArray().ToList() : null;
        }

        private static bool IsBoundedString(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= MaxStringLength;
    }

    private static void CheckSkeleton(JsonElement root, string path, ICollection<ContentError> errors)
    {
        if (IdOf(root) != "pendo-base")
        {
            errors.Add(new(JsonPath.Member(JsonPath.Member(path, "props"), "id"),
                "the root node must have id 'pendo-base' (skeleton: pendo-base → pendo-g-… with data-vertical-alignment → pendo-guide-container)"));
            return;
        }
        var childrenPath = JsonPath.Member(path, "children");
        var containers = Children(root).Where(c => IdOf(c.Node)?.StartsWith("pendo-g-", StringComparison.Ordinal) == true).ToList();
        if (containers.Count != 1)
        {
            errors.Add(new(childrenPath, containers.Count == 0
                ? "pendo-base needs a child whose id starts with 'pendo-g-' and carries data-vertical-alignment"
                : "pendo-base must have exactly one child whose id starts with 'pendo-g-'"));
            return;
        }
        var (container, index) = containers[0];
        var containerPath = JsonPath.Index(childrenPath, index);
        var propsPath = JsonPath.Member(containerPath, "props");
        var alignment = container.GetProperty("props").TryGetProperty("data-vertical-alignment", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString()
            : null;
        if (alignment is null || !VerticalAlignments.Contains(alignment))
            errors.Add(new(JsonPath.Member(propsPath, "data-vertical-alignment"),
                $"the pendo-g- container needs data-vertical-alignment, one of {string.Join(", ", VerticalAlignments.Order(StringComparer.Ordinal))}"));

        var guideContainers = Children(container).Where(c => IdOf(c.Node) == "pendo-guide-container").ToList();
        if (guideContainers.Count == 0)
        {
            errors.Add(new(JsonPath.Member(containerPath, "children"), "the pendo-g- container needs a child with id 'pendo-guide-container'"));
            return;
        }
        var (guideContainer, guideIndex) = guideContainers[0];
        if (alignment == RelativeToElement
            && !(guideContainer.GetProperty("props").TryGetProperty("style", out var style) && style.ValueKind == JsonValueKind.Object))
            errors.Add(new(JsonPath.Member(JsonPath.Member(JsonPath.Index(JsonPath.Member(containerPath, "children"), guideIndex), "props"), "style"),
                "a tooltip's pendo-guide-container needs a style object (the agent reads its background-color and border to draw the caret)"));
    }

    private static IEnumerable<(JsonElement Node, int Index)> Children(JsonElement node) =>
        node.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array
            ? children.EnumerateArray().Select((child, i) => (child, i))
            : [];

    private static string? IdOf(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("props", out var props) && props.ValueKind == JsonValueKind.Object
        && props.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
}

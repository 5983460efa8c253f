using System.Text.Json.Nodes;

namespace Guidepost.Guides.Content;

/// <summary>Builds building-block nodes and actions in the shape the agent reads.</summary>
internal static class Dom
{
    public static JsonObject Node(string type, JsonObject props, string? content = null, IEnumerable<JsonObject>? children = null,
        JsonObject? action = null)
    {
        var node = new JsonObject { ["type"] = type, ["props"] = props };
        if (content is not null) node["content"] = content;
        if (children is not null) node["children"] = new JsonArray([.. children]);
        if (action is not null) node["actions"] = new JsonArray(action);
        return node;
    }

    public static JsonObject Props(string id, params (string Name, string Value)[] more)
    {
        var props = new JsonObject { ["id"] = id };
        foreach (var (name, value) in more) props[name] = value;
        return props;
    }

    public static JsonObject Style(params (string Property, string Value)[] declarations)
    {
        var style = new JsonObject();
        foreach (var (property, value) in declarations) style[property] = value;
        return style;
    }

    public static JsonObject Action(string name, params (string Name, JsonNode Value)[] parameters) => new()
    {
        ["action"] = name,
        ["eventType"] = "click",
        ["parameters"] = new JsonArray([.. parameters.Select(p => new JsonObject { ["name"] = p.Name, ["value"] = p.Value })]),
    };

    public static JsonObject With(this JsonObject props, string name, JsonNode value)
    {
        props[name] = value;
        return props;
    }
}

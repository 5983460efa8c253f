using System.Text.Json;

namespace Guidepost.Ingestion.Normalize;

/// <summary>Encodes the agent's clicked-element chain (<c>props.target</c> with nested <c>parentElem</c>,
/// leaf first, up to BODY) as a compact JSON array, keeping exactly what CSS-selector feature rules match:
/// tag, id, classes, title, whitelisted attributes, child indexes and captured text.</summary>
/// <remarks>Empty values are left out. Per-event leaf fields (<c>flags</c>, <c>stopped</c>, <c>from</c>)
/// are not part of the path; they belong to the event's properties.</remarks>
public static class ElementPath
{
    public static readonly string[] LeafOnlyFields = ["flags", "stopped", "from"];

    public static string Encode(JsonElement target)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (JsonElement? node = target; node is { ValueKind: JsonValueKind.Object } element; node = Parent(element))
                WriteNode(writer, element);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement? Parent(JsonElement node) =>
        node.TryGetProperty("parentElem", out var parent) ? parent : null;

    /// <summary>One pass over the node's properties (it has a dozen; looking each field up by name would
    /// scan them again and again), then the kept fields in a fixed order.</summary>
    private static void WriteNode(Utf8JsonWriter writer, JsonElement node)
    {
        JsonElement tag = default, id = default, cls = default, title = default, attrs = default, childIndex = default, myIndex = default, txt = default;
        List<JsonProperty>? siblings = null;
        foreach (var property in node.EnumerateObject())
        {
            switch (property.Name)
            {
                case "tag": tag = property.Value; break;
                case "id": id = property.Value; break;
                case "cls": cls = property.Value; break;
                case "title": title = property.Value; break;
                case "attrs": attrs = property.Value; break;
                case "childIndex": childIndex = property.Value; break;
                case "myIndex": myIndex = property.Value; break;
                case "txt": txt = property.Value; break;
                // Sibling attributes the agent adds when configured to (siblingSelectors).
                case var name when name.StartsWith("_pendo_sibling_", StringComparison.Ordinal): (siblings ??= []).Add(property); break;
            }
        }
        writer.WriteStartObject();
        WriteString(writer, "tag", tag);
        WriteString(writer, "id", id);
        WriteString(writer, "cls", cls);
        WriteString(writer, "title", title);
        if (attrs.ValueKind == JsonValueKind.Object && attrs.EnumerateObject().Any())
        {
            writer.WritePropertyName("attrs");
            attrs.WriteTo(writer);
        }
        WriteNumber(writer, "childIndex", childIndex);
        WriteNumber(writer, "myIndex", myIndex);
        WriteString(writer, "txt", txt);
        foreach (var sibling in siblings ?? []) sibling.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.ValueEquals(ReadOnlySpan<byte>.Empty)) return;
        writer.WritePropertyName(name);
        value.WriteTo(writer);
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) writer.WriteNumber(name, number);
    }
}

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

    private static void WriteNode(Utf8JsonWriter writer, JsonElement node)
    {
        writer.WriteStartObject();
        WriteString(writer, node, "tag");
        WriteString(writer, node, "id");
        WriteString(writer, node, "cls");
        WriteString(writer, node, "title");
        if (node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object && attrs.EnumerateObject().Any())
        {
            writer.WritePropertyName("attrs");
            attrs.WriteTo(writer);
        }
        WriteNumber(writer, node, "childIndex");
        WriteNumber(writer, node, "myIndex");
        WriteString(writer, node, "txt");
        // Sibling attributes the agent adds when configured to (siblingSelectors).
        foreach (var property in node.EnumerateObject())
            if (property.Name.StartsWith("_pendo_sibling_", StringComparison.Ordinal)) property.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, JsonElement node, string name)
    {
        if (node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            writer.WriteString(name, text);
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement node, string name)
    {
        if (node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            writer.WriteNumber(name, number);
    }
}

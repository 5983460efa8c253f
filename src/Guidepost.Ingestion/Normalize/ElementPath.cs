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

    private static readonly JsonEncodedText Tag = JsonEncodedText.Encode("tag"), Id = JsonEncodedText.Encode("id"),
        Cls = JsonEncodedText.Encode("cls"), Title = JsonEncodedText.Encode("title"), Attrs = JsonEncodedText.Encode("attrs"),
        ChildIndex = JsonEncodedText.Encode("childIndex"), MyIndex = JsonEncodedText.Encode("myIndex"), Txt = JsonEncodedText.Encode("txt");

    /// <summary>One pass over the node's properties, comparing names as UTF-8 without allocating them
    /// (a node has a dozen; looking each field up by name would scan them again and again), then the kept
    /// fields in a fixed order.</summary>
    private static void WriteNode(Utf8JsonWriter writer, JsonElement node)
    {
        JsonElement tag = default, id = default, cls = default, title = default, attrs = default, childIndex = default, myIndex = default, txt = default;
        List<JsonProperty>? siblings = null;
        foreach (var property in node.EnumerateObject())
        {
            if (property.NameEquals("tag"u8)) tag = property.Value;
            else if (property.NameEquals("id"u8)) id = property.Value;
            else if (property.NameEquals("cls"u8)) cls = property.Value;
            else if (property.NameEquals("title"u8)) title = property.Value;
            else if (property.NameEquals("attrs"u8)) attrs = property.Value;
            else if (property.NameEquals("childIndex"u8)) childIndex = property.Value;
            else if (property.NameEquals("myIndex"u8)) myIndex = property.Value;
            else if (property.NameEquals("txt"u8)) txt = property.Value;
            // Sibling attributes the agent adds when configured to (siblingSelectors).
            else if (property.Name.StartsWith("_pendo_sibling_", StringComparison.Ordinal)) (siblings ??= []).Add(property);
        }
        writer.WriteStartObject();
        WriteString(writer, Tag, tag);
        WriteString(writer, Id, id);
        WriteString(writer, Cls, cls);
        WriteString(writer, Title, title);
        if (attrs.ValueKind == JsonValueKind.Object && attrs.EnumerateObject().Any())
        {
            writer.WritePropertyName(Attrs);
            attrs.WriteTo(writer);
        }
        WriteNumber(writer, ChildIndex, childIndex);
        WriteNumber(writer, MyIndex, myIndex);
        WriteString(writer, Txt, txt);
        foreach (var sibling in siblings ?? []) sibling.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.ValueEquals(ReadOnlySpan<byte>.Empty)) return;
        writer.WritePropertyName(name);
        value.WriteTo(writer);
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) writer.WriteNumber(name, number);
    }
}

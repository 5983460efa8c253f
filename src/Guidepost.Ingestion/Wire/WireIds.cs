using System.Text;
using System.Text.Json;

namespace Guidepost.Ingestion.Wire;

/// <summary>Visitor and account ids as senders write them: strings, or numbers the agent turns into
/// strings; empty means absent.</summary>
internal static class WireIds
{
    public static string? Read(JsonElement e, string name, int maxBytes) =>
        FromValue(e.TryGetProperty(name, out var value) ? value : default, name, maxBytes);

    /// <param name="value">The field's value; <c>default</c> when the field is absent.</param>
    public static string? FromValue(JsonElement value, string name, int maxBytes)
    {
        var id = value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new PayloadException($"{name} must be a string."),
        };
        if (string.IsNullOrWhiteSpace(id)) return null;
        return Encoding.UTF8.GetByteCount(id) <= maxBytes ? id : throw new PayloadException($"{name} is longer than {maxBytes} bytes.");
    }
}

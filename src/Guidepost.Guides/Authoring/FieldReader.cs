using Guidepost.Guides.Content;
using System.Text.Json;

namespace Guidepost.Guides.Authoring;

/// <summary>Reads optional fields of one JSON object, reporting a field of the wrong type with its path.</summary>
internal sealed class FieldReader(JsonElement json, string path, List<ContentError> errors)
{
    private string PathOf(string name) => path.Length == 0 ? name : $"{path}.{name}";

    private JsonElement? Field(string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name)
    {
        if (Field(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text) return text;
        errors.Add(new(PathOf(name), $"{name} must be a non-empty string."));
        return null;
    }

    public IReadOnlyList<string>? Strings(string name)
    {
        if (Field(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        errors.Add(new(PathOf(name), $"{name} must be an array of strings."));
        return null;
    }

    public string OneOf(string name, IReadOnlyList<string> options, string fallback)
    {
        var text = String(name);
        if (text is null) return fallback;
        if (options.Contains(text)) return text;
        errors.Add(new(PathOf(name), $"'{text}' is not one of {string.Join(", ", options)}."));
        return fallback;
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        if (Field(name) is not { } value) return fallback;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        errors.Add(new(PathOf(name), $"{name} must be a whole number from {min} to {max}."));
        return fallback;
    }

    /// <summary>A time as epoch milliseconds.</summary>
    public long? Time(string name)
    {
        if (Field(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms) && ms >= 0) return ms;
        errors.Add(new(PathOf(name), $"{name} must be a time in epoch milliseconds."));
        return null;
    }

    public bool Boolean(string name)
    {
        if (Field(name) is not { } value) return false;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add(new(PathOf(name), $"{name} must be true or false."));
        return false;
    }

    public JsonElement? Object(string name)
    {
        if (Field(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Object) return value;
        errors.Add(new(PathOf(name), $"{name} must be an object."));
        return null;
    }
}

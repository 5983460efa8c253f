using System.Globalization;
using System.Text.Json;

namespace Guidepost.Query.Segments;

/// <summary>A segment's rule tree. Leaves test metadata (<c>{"field":"agent.plan","op":"eq","value":"pro"}</c>,
/// with <c>"account":true</c> to test the visitor's account), behaviour (<c>{"behavior":"page","id":"…",
/// "atLeast":3,"days":30}</c> for page, feature or trackType) or anonymity (<c>{"anonymous":false}</c>);
/// <c>{"and":[…]}</c> and <c>{"or":[…]}</c> combine them.</summary>
public abstract record SegmentRule
{
    public const int MaxDays = 180;
    public const int MaxDepth = 8;
    public const int MaxLeaves = 64;

    public static readonly IReadOnlyList<string> Operators = ["eq", "ne", "contains", "gt", "gte", "lt", "lte", "exists", "notExists"];

    /// <summary>Parses and checks a rule tree; the error names the path of the part that is wrong.</summary>
    public static SegmentRule Parse(JsonElement json, out string? error)
    {
        var leaves = 0;
        var rule = Parse(json, "rules", 0, ref leaves, out error);
        return rule!;
    }

    private static SegmentRule? Parse(JsonElement json, string path, int depth, ref int leaves, out string? error)
    {
        error = null;
        if (json.ValueKind != JsonValueKind.Object) return Fail($"{path} must be an object.", out error);
        if (depth > MaxDepth) return Fail($"{path}: rules nest at most {MaxDepth} deep.", out error);
        if (json.TryGetProperty("and", out var and) || json.TryGetProperty("or", out and))
        {
            var isAnd = json.TryGetProperty("and", out _);
            var name = isAnd ? "and" : "or";
            if (and.ValueKind != JsonValueKind.Array || and.GetArrayLength() == 0) return Fail($"{path}.{name} must be a non-empty array of rules.", out error);
            var children = new List<SegmentRule>();
            var i = 0;
            foreach (var child in and.EnumerateArray())
            {
                var parsed = Parse(child, $"{path}.{name}[{i++}]", depth + 1, ref leaves, out error);
                if (parsed is null) return null;
                children.Add(parsed);
            }
            return isAnd ? new AllOf(children) : new AnyOf(children);
        }
        if (++leaves > MaxLeaves) return Fail($"a segment has at most {MaxLeaves} rules.", out error);
        if (json.TryGetProperty("anonymous", out var anonymous))
            return anonymous.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new IsAnonymous(anonymous.GetBoolean())
                : Fail($"{path}.anonymous must be true or false.", out error);
        if (json.TryGetProperty("behavior", out var behavior))
        {
            var kind = behavior.ValueKind == JsonValueKind.String ? behavior.GetString() : null;
            if (kind is not ("page" or "feature" or "trackType")) return Fail($"{path}.behavior must be page, feature or trackType.", out error);
            if (!json.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) return Fail($"{path}.id must name the {kind}.", out error);
            var atLeast = Integer(json, "atLeast", 1);
            var days = Integer(json, "days", 30);
            if (atLeast is null or < 1) return Fail($"{path}.atLeast must be a whole number of at least 1.", out error);
            if (days is null or < 1 or > MaxDays) return Fail($"{path}.days must be a whole number from 1 to {MaxDays}.", out error);
            return new Behaved(kind, id.GetString()!, atLeast.Value, days.Value);
        }
        if (json.TryGetProperty("field", out var field))
        {
            var text = field.ValueKind == JsonValueKind.String ? field.GetString()! : "";
            var dot = text.IndexOf('.');
            if (dot <= 0 || dot == text.Length - 1) return Fail($"{path}.field must be group.name, such as agent.plan.", out error);
            var op = json.TryGetProperty("op", out var opValue) && opValue.ValueKind == JsonValueKind.String ? opValue.GetString()! : "eq";
            if (!Operators.Contains(op)) return Fail($"{path}.op '{op}' is not one of {string.Join(", ", Operators)}.", out error);
            var hasValue = json.TryGetProperty("value", out var value);
            if (op is not ("exists" or "notExists") && (!hasValue || value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                return Fail($"{path}.value must be a string, number or boolean for op {op}.", out error);
            var onAccount = json.TryGetProperty("account", out var account) && account.ValueKind == JsonValueKind.True;
            return new FieldTest(text[..dot], text[(dot + 1)..], op, hasValue ? value.Clone() : default, onAccount);
        }
        return Fail($"{path} must have and, or, field, behavior or anonymous.", out error);
    }

    private static int? Integer(JsonElement json, string name, int fallback) =>
        !json.TryGetProperty(name, out var value) ? fallback : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static SegmentRule? Fail(string message, out string error)
    {
        error = message;
        return null;
    }

    public IEnumerable<SegmentRule> Leaves() => this switch
    {
        AllOf all => all.Rules.SelectMany(r => r.Leaves()),
        AnyOf any => any.Rules.SelectMany(r => r.Leaves()),
        _ => [this],
    };
}

public sealed record AllOf(IReadOnlyList<SegmentRule> Rules) : SegmentRule;

public sealed record AnyOf(IReadOnlyList<SegmentRule> Rules) : SegmentRule;

public sealed record IsAnonymous(bool Anonymous) : SegmentRule;

/// <summary>At least <paramref name="AtLeast"/> events on the tag in the last <paramref name="Days"/> × 24 hours.</summary>
public sealed record Behaved(string Kind, string TagId, int AtLeast, int Days) : SegmentRule;

public sealed record FieldTest(string Group, string Field, string Op, JsonElement Value, bool OnAccount) : SegmentRule
{
    /// <summary>Whether a stored value (JSON text, or null when absent) passes the test. Numbers compare as
    /// numbers, everything else as case-insensitive text.</summary>
    public bool Passes(string? json)
    {
        if (Op == "exists") return json is not null and not "null";
        if (Op == "notExists") return json is null or "null";
        if (json is null) return Op == "ne";
        using var stored = JsonDocument.Parse(json);
        var actual = stored.RootElement;
        if (actual.ValueKind == JsonValueKind.Number && Number(Value) is { } expected)
        {
            var a = actual.GetDouble();
            return Op switch { "eq" => a == expected, "ne" => a != expected, "gt" => a > expected, "gte" => a >= expected, "lt" => a < expected, "lte" => a <= expected, _ => a.ToString(CultureInfo.InvariantCulture).Contains(expected.ToString(CultureInfo.InvariantCulture)) };
        }
        var text = Text(actual);
        var wanted = Text(Value);
        var order = string.Compare(text, wanted, StringComparison.OrdinalIgnoreCase);
        return Op switch
        {
            "eq" => order == 0, "ne" => order != 0, "contains" => text.Contains(wanted, StringComparison.OrdinalIgnoreCase),
            "gt" => order > 0, "gte" => order >= 0, "lt" => order < 0, _ => order <= 0,
        };
    }

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}

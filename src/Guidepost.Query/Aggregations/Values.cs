using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Guidepost.Query.Aggregations;

/// <summary>The value model of aggregation rows and expressions: <c>null</c>, <see cref="bool"/>,
/// <see cref="double"/> (every number; Pendo computes in floats), <see cref="string"/>,
/// <see cref="List{T}"/> of values, and <see cref="Row"/> for nested objects.</summary>
public static class Values
{
    /// <summary>Integral doubles below this magnitude are written without a fraction (2^53: every integer
    /// below it is exact).</summary>
    private const double MaxExactInteger = 9_007_199_254_740_992d;

    /// <summary>Dotted path lookup through nested rows (<c>metadata.auto.lastvisit</c>); missing → null.
    /// A key that itself equals the whole path is found first, so a field named <c>a.b</c> is readable.</summary>
    public static object? Get(Row row, string path)
    {
        if (row.TryGetValue(path, out var value)) return value;
        return path.Contains('.') ? Walk(row, path) : null;
    }

    /// <summary><see cref="Get(Row, string)"/> with the path split beforehand (expressions split it once
    /// when parsed).</summary>
    internal static object? Get(Row row, string path, string[] segments)
    {
        if (row.TryGetValue(path, out var value)) return value;
        if (segments.Length == 1) return null;
        object? current = row;
        foreach (var segment in segments)
        {
            if (current is not Row nested || !nested.TryGetValue(segment, out current)) return null;
        }
        return current;
    }

    private static object? Walk(Row row, string path)
    {
        object? current = row;
        foreach (var range in path.AsSpan().Split('.'))
        {
            if (current is not Row nested || !TryGet(nested, path.AsSpan()[range], out current)) return null;
        }
        return current;
    }

    private static bool TryGet(Row row, ReadOnlySpan<char> key, out object? value)
    {
        if (row.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup)) return lookup.TryGetValue(key, out value);
        return row.TryGetValue(key.ToString(), out value);
    }

    /// <summary>Sets a dotted path, creating nested rows as needed. A key equal to the whole path is
    /// overwritten in place (so Get keeps reading what Set wrote); a non-object on the way is replaced by
    /// a new row.</summary>
    public static void Set(Row row, string path, object? value)
    {
        if (!path.Contains('.') || row.ContainsKey(path))
        {
            row[path] = value;
            return;
        }
        var segments = path.Split('.');
        var current = row;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (!current.TryGetValue(segments[i], out var next) || next is not Row nested)
            {
                nested = new Row(StringComparer.Ordinal);
                current[segments[i]] = nested;
            }
            current = nested;
        }
        current[segments[^1]] = value;
    }

    /// <summary>The total order of sort and min/max: null &lt; false &lt; true &lt; numbers &lt; strings
    /// (ordinal) &lt; lists (element-wise, then shorter first) &lt; objects (by sorted keys, then values).</summary>
    public static int Compare(object? a, object? b)
    {
        if (a is double x && b is double y) return x.CompareTo(y);
        if (a is string s && b is string t) return string.CompareOrdinal(s, t);
        var rank = Rank(a).CompareTo(Rank(b));
        if (rank != 0) return rank;
        switch (a)
        {
            case null: return 0;
            case bool p: return p.CompareTo((bool)b!);
            case List<object?> list: return CompareLists(list, (List<object?>)b!);
            case Row row: return CompareRows(row, (Row)b!);
            default: return string.CompareOrdinal(ToText(a), ToText(b));
        }
    }

    private static int Rank(object? value) => value switch
    {
        null => 0,
        bool p => p ? 2 : 1,
        double => 3,
        string => 4,
        List<object?> => 5,
        Row => 6,
        _ => 7,
    };

    private static int CompareLists(List<object?> a, List<object?> b)
    {
        for (var i = 0; i < a.Count && i < b.Count; i++)
        {
            var c = Compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    private static int CompareRows(Row a, Row b)
    {
        var keysA = a.Keys.Order(StringComparer.Ordinal).ToList();
        var keysB = b.Keys.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < keysA.Count && i < keysB.Count; i++)
        {
            var c = string.CompareOrdinal(keysA[i], keysB[i]);
            if (c == 0) c = Compare(a[keysA[i]], b[keysB[i]]);
            if (c != 0) return c;
        }
        return keysA.Count.CompareTo(keysB.Count);
    }

    /// <summary>Deep equality: lists element-wise, objects key by key, numbers by value (NaN equals NaN so
    /// that group keys stay stable); null equals only null.</summary>
    public static bool AreEqual(object? a, object? b)
    {
        switch (a)
        {
            case null: return b is null;
            case double x: return b is double y && x.Equals(y);
            case string s: return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool p: return b is bool q && p == q;
            case List<object?> list:
                if (b is not List<object?> other || other.Count != list.Count) return false;
                for (var i = 0; i < list.Count; i++)
                    if (!AreEqual(list[i], other[i])) return false;
                return true;
            case Row row:
                if (b is not Row that || that.Count != row.Count) return false;
                foreach (var (key, value) in row)
                    if (!that.TryGetValue(key, out var v) || !AreEqual(value, v)) return false;
                return true;
            default: return a.Equals(b);
        }
    }

    /// <summary>A hash consistent with <see cref="AreEqual"/>, for group and join keys.</summary>
    public static int Hash(object? value)
    {
        switch (value)
        {
            case null: return 0;
            case double x: return x.GetHashCode();
            case string s: return StringComparer.Ordinal.GetHashCode(s);
            case bool p: return p ? 1 : 2;
            case List<object?> list:
                var hash = new HashCode();
                foreach (var item in list) hash.Add(Hash(item));
                return hash.ToHashCode();
            case Row row:
                // Order-independent: equal rows may have been filled in different orders.
                var sum = row.Count;
                foreach (var (key, item) in row) sum += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), Hash(item));
                return sum;
            default: return value.GetHashCode();
        }
    }

    /// <summary>"null", "boolean", "number", "string", "list" or "object" (the CLR name of anything else,
    /// which only a bug can put in a row).</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "null",
        bool => "boolean",
        double => "number",
        string => "string",
        List<object?> => "list",
        Row => "object",
        _ => value.GetType().Name,
    };

    /// <summary>JSON → value: numbers → double, objects → <see cref="Row"/>, arrays → list.</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String: return element.GetString();
            // A number beyond double's range reads as ±infinity (as Pendo's float parsing does), not an error.
            case JsonValueKind.Number: return element.TryGetDouble(out var number) ? number : double.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray()) list.Add(FromJson(item));
                return list;
            case JsonValueKind.Object:
                var row = new Row(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject()) row[property.Name] = FromJson(property.Value);
                return row;
            default: return null;
        }
    }

    /// <summary>Value → JSON. An integral double below 2^53 is written without fraction or exponent
    /// (1543726800000, not 1.5437268E+12); NaN and infinities are written as null.</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case double x: WriteNumber(writer, x); break;
            case string s: writer.WriteStringValue(s); break;
            case bool p: writer.WriteBooleanValue(p); break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) WriteJson(writer, item);
                writer.WriteEndArray();
                break;
            case Row row:
                writer.WriteStartObject();
                foreach (var (key, item) in row)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }
                writer.WriteEndObject();
                break;
            // Outside the model, but harmless to write: a stray int or long from a store.
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double x)
    {
        if (!double.IsFinite(x)) writer.WriteNullValue();
        else if (IsExactInteger(x)) writer.WriteNumberValue((long)x);
        else writer.WriteNumberValue(x);
    }

    internal static bool IsExactInteger(double x) => Math.Abs(x) < MaxExactInteger && x == Math.Truncate(x);

    /// <summary>A value as one CSV cell's text: null → empty, numbers as in JSON, lists and objects as
    /// compact JSON.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        double x => double.IsFinite(x) ? FormatNumber(x) : "",
        bool p => p ? "true" : "false",
        List<object?> or Row => ToJson(value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A finite number as JSON writes it: integral below 2^53 without fraction, else the
    /// shortest round-trip form.</summary>
    internal static string FormatNumber(double x) => IsExactInteger(x)
        ? ((long)x).ToString(CultureInfo.InvariantCulture)
        : x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Compact JSON of a value.</summary>
    internal static string ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A copy deep enough that mutating it (Set, list edits) never changes the original; strings,
    /// numbers and booleans are immutable and shared.</summary>
    public static object? DeepCopy(object? value)
    {
        switch (value)
        {
            case List<object?> list:
                var copy = new List<object?>(list.Count);
                foreach (var item in list) copy.Add(DeepCopy(item));
                return copy;
            case Row row:
                var clone = new Row(row.Count, row.Comparer);
                foreach (var (key, item) in row) clone[key] = DeepCopy(item);
                return clone;
            default: return value;
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Guidepost.Ingestion.Metadata;

/// <summary>Metadata field types (Pendo's schema types) and the conversion of written values to them.</summary>
public static partial class MetadataValues
{
    public const string String = "string";
    public const string Boolean = "boolean";
    public const string Integer = "integer";
    public const string Float = "float";
    public const string Time = "time";

    public static readonly IReadOnlyList<string> Types = [String, Boolean, Integer, Float, Time];

    /// <summary>The type a new field gets from the first value written to it.</summary>
    public static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => Boolean,
        JsonValueKind.Number => value.TryGetInt64(out _) ? Integer : Float,
        _ => String,
    };

    /// <summary>Maps a type name of the create-fields API (which also says <c>number</c>) to a schema type.</summary>
    public static string? ParseType(string? name) => name?.ToLowerInvariant() switch
    {
        "string" or "text" => String,
        "boolean" or "bool" => Boolean,
        "integer" or "int" => Integer,
        "number" or "float" => Float,
        "time" or "date" => Time,
        _ => null,
    };

    /// <summary>The value as the JSON text to store for a field of <paramref name="type"/>, or an explanation
    /// of why it does not fit. Times are stored as epoch milliseconds.</summary>
    public static bool TryConvert(JsonElement value, string type, out string json, out string? error)
    {
        json = "";
        error = null;
        if (value.ValueKind == JsonValueKind.Null) { json = "null"; return true; }
        switch (type)
        {
            case String:
                if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) error = "a string field takes a string, number or boolean.";
                else json = JsonSerializer.Serialize(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
                break;
            case Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) json = value.GetRawText();
                else if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var flag)) json = flag ? "true" : "false";
                else error = "a boolean field takes true or false.";
                break;
            case Integer:
                if (Number(value) is { } integer && integer == Math.Floor(integer) && Math.Abs(integer) < 9e15) json = ((long)integer).ToString(CultureInfo.InvariantCulture);
                else error = "an integer field takes a whole number.";
                break;
            case Float:
                if (Number(value) is { } number) json = number.ToString("R", CultureInfo.InvariantCulture);
                else error = "a float field takes a number.";
                break;
            case Time:
                if (TimeOf(value) is { } ms) json = ms.ToString(CultureInfo.InvariantCulture);
                else error = "a time field takes epoch seconds or milliseconds, or a date such as 2006-01-02T15:04:05-07:00, 2006-01-02 15:04:05, " +
                    "Mon Jan 02 2006 or 01/02/2006 03:04pm.";
                break;
            default:
                error = $"unknown field type '{type}'.";
                break;
        }
        return error is null;
    }

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
        _ => null,
    };

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFF",
        "yyyy-MM-dd HH:mm:ss K", "yyyy-MM-dd HH:mm:ss", "ddd MMM dd yyyy", "ddd MMM dd yyyy HH:mm:ss K", "MM/dd/yyyy hh:mmtt", "yyyy-MM-dd",
    ];

    /// <summary>Epoch milliseconds for the accepted time forms (Pendo's list); a time without a zone is UTC.</summary>
    public static long? TimeOf(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var epoch)) return FromEpoch(epoch);
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out epoch)) return FromEpoch(epoch);
        // Go writes offsets as -0700 and may put a zone name before them ("MST-0700"); .NET wants -07:00.
        text = ZoneName().Replace(text, " ");
        text = CompactOffset().Replace(text, "$1:$2");
        return DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed.ToUnixTimeMilliseconds()
            : null;
    }

    // Below 10^11 an epoch number is read as seconds (10^11 seconds is the year 5138).
    private static long FromEpoch(long epoch) => Math.Abs(epoch) < 100_000_000_000 ? epoch * 1000 : epoch;

    [GeneratedRegex(@"\s+(?:UTC|GMT|[A-Z]{3,4})(?=[+-]\d{4}$|$)")]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex CompactOffset();
}

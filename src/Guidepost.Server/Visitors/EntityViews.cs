using System.Globalization;
using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations;
using Row = System.Collections.Generic.Dictionary<string, object?>;

namespace Guidepost.Server.Visitors;

/// <summary>A visitor or account in Pendo's shape: <c>metadata.auto</c> computed from the events, the other
/// groups as stored. One shape, built as aggregation values, for <c>GET /api/v1/visitor/{id}</c> and for
/// aggregation rows.</summary>
internal static class EntityViews
{
    /// <summary>The <c>auto</c> group, with a visitor's accounts when its events named any.</summary>
    public static Row Auto(EntityRecord record)
    {
        var accounts = record.Accounts;
        var auto = new Row(12, StringComparer.Ordinal)
        {
            ["firstvisit"] = (double?)record.FirstSeen,
            ["lastvisit"] = (double?)record.LastSeen,
            ["lastupdated"] = (double?)record.LastSeen,
            ["idhash"] = (double)System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(record.Id)),
        };
        if (accounts.Count > 0)
        {
            auto["accountids"] = accounts.Select(a => (object?)a).ToList();
            auto["accountid"] = accounts.Count == 1 ? accounts[0] : null;
        }
        if (record.Last is { } last)
        {
            auto["lastbrowsername"] = last.Browser;
            auto["lastbrowserversion"] = last.BrowserVersion;
            auto["lastoperatingsystem"] = last.Os;
            auto["lastuseragent"] = last.UserAgent;
            auto["lastservername"] = Uri.TryCreate(last.Url, UriKind.Absolute, out var url) ? url.Host : null;
            auto["lastip"] = last.RemoteIp;
            auto["lastlanguage"] = last.Language;
        }
        return auto;
    }

    /// <summary>Stored groups as Pendo nests them, with the computed <c>auto</c> group.</summary>
    public static Row Metadata(EntityRecord record, Row auto)
    {
        var metadata = new Row(record.Metadata.Count + 1, StringComparer.Ordinal) { ["auto"] = auto };
        foreach (var (group, fields) in record.Metadata)
        {
            var values = new Row(fields.Count, StringComparer.Ordinal);
            foreach (var (field, json) in fields) values[field] = Value(json);
            metadata[group] = values;
        }
        return metadata;
    }

    /// <summary>A stored JSON value; plain strings and numbers, most of them, without a JSON parser.</summary>
    private static object? Value(string json)
    {
        if (json.Length >= 2 && json[0] == '"' && json[^1] == '"' && json.IndexOf('\\') < 0) return json[1..^1];
        if (json.Length > 0 && (char.IsAsciiDigit(json[0]) || json[0] == '-')
            && double.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        using var document = JsonDocument.Parse(json);
        return Values.FromJson(document.RootElement);
    }
}

using System.Text.Json.Nodes;
using Guidepost.Core.Events;

namespace Guidepost.Server.Visitors;

/// <summary>A visitor or account in Pendo's shape: <c>metadata.auto</c> computed from the events, the other
/// groups as stored. One shape for <c>GET /api/v1/visitor/{id}</c> and for aggregation rows.</summary>
internal static class EntityViews
{
    /// <summary>The <c>auto</c> group; <paramref name="accounts"/> (the visitor's accounts) when known.</summary>
    public static JsonObject Auto(EntityRecord record, IReadOnlyList<string>? accounts)
    {
        var auto = new JsonObject
        {
            ["firstvisit"] = record.FirstSeen,
            ["lastvisit"] = record.LastSeen,
            ["lastupdated"] = record.LastSeen,
            ["idhash"] = System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(record.Id)),
        };
        if (accounts is { Count: > 0 })
        {
            auto["accountids"] = new JsonArray([.. accounts.Select(a => (JsonNode)a)]);
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
    public static JsonObject Metadata(EntityRecord record, JsonObject auto)
    {
        var metadata = new JsonObject { ["auto"] = auto };
        foreach (var (group, fields) in record.Metadata)
        {
            var values = new JsonObject();
            foreach (var (field, json) in fields) values[field] = JsonNode.Parse(json);
            metadata[group] = values;
        }
        return metadata;
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Guidepost.Core.Events;
using Guidepost.Ingestion.Normalize;

namespace Guidepost.Ingestion.Wire;

/// <summary>Reads and validates one server-side Track API event (<c>POST /data/track</c>) the way Pendo
/// documents it: <c>type</c> "track", <c>event</c>, <c>visitorId</c>, optional <c>accountId</c>,
/// <c>timestamp</c> in epoch ms no older than 7 days, <c>properties</c> with Pendo's naming rules, and
/// an optional <c>context</c> of ip, userAgent, url and title.</summary>
public sealed partial class TrackApiReader(IngestionOptions options, UserAgentCache userAgents)
{
    public const int MaxPropertyNameLength = 32;
    public const int MaxPropertiesBytes = 512;
    public const int MaxEventNameLength = 256;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>Servers' clocks drift; a timestamp this far ahead of ours is still "now".</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    public StoredEvent Read(ReadOnlySpan<byte> body, long subscriptionId, long applicationId, long now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new PayloadException($"Error unmarshalling track event data: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new PayloadException("The body must be one track event, a JSON object.");
            if (Text(root, "type") != "track") throw new PayloadException("type must be \"track\".");
            var name = Text(root, "event") is { Length: > 0 and <= MaxEventNameLength } n
                ? n : throw new PayloadException($"event is required: the event's name, 1 to {MaxEventNameLength} characters.");
            var visitorId = WireIds.Read(root, "visitorId", AgentPayloadReader.MaxVisitorIdBytes) ?? throw new PayloadException("visitorId is required.");
            var timestamp = Timestamp(root, now);
            var context = root.TryGetProperty("context", out var c) && c.ValueKind != JsonValueKind.Null ? c : default;
            if (context.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object)) throw new PayloadException("context must be an object.");
            var userAgent = Bounded(context, "userAgent");

            var parsed = userAgents.Parse(userAgent);
            return new StoredEvent
            {
                SubscriptionId = subscriptionId,
                ApplicationId = applicationId,
                Type = "track",
                Source = EventSource.TrackApi,
                BrowserTime = timestamp,
                ServerTime = now,
                VisitorId = visitorId,
                AccountId = WireIds.Read(root, "accountId", AgentPayloadReader.MaxAccountIdBytes),
                TrackName = name,
                Properties = Properties(root),
                Url = Bounded(context, "url"),
                Title = Bounded(context, "title"),
                RemoteIp = Ip(context),
                UserAgent = userAgent,
                Browser = parsed?.Browser,
                BrowserVersion = parsed?.BrowserVersion,
                Os = parsed?.Os,
                Device = parsed?.Device,
            };
        }
    }

    private static long Timestamp(JsonElement root, long now)
    {
        if (!root.TryGetProperty("timestamp", out var value)) throw new PayloadException("timestamp is required, in epoch milliseconds.");
        long timestamp = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var ms) => (long)ms,
            // Clients sometimes send ISO 8601; accepting it costs nothing.
            JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var date) => date.ToUnixTimeMilliseconds(),
            _ => throw new PayloadException("timestamp must be epoch milliseconds (or an ISO 8601 time)."),
        };
        if (timestamp < now - (long)MaxAge.TotalMilliseconds)
            throw new PayloadException($"timestamp {timestamp} is more than 7 days old; Pendo's Track API does not accept such events.");
        if (timestamp > now + (long)AllowedClockSkew.TotalMilliseconds)
            throw new PayloadException($"timestamp {timestamp} is in the future (server time {now}).");
        return timestamp;
    }

    private static string? Properties(JsonElement root)
    {
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind == JsonValueKind.Null) return null;
        if (properties.ValueKind != JsonValueKind.Object) throw new PayloadException("properties must be an object.");
        foreach (var property in properties.EnumerateObject())
        {
            var name = property.Name;
            if (name.Length > MaxPropertyNameLength || !PropertyName().IsMatch(name) || (name.StartsWith("__") && name.EndsWith("__")))
                throw new PayloadException(
                    $"Property name '{name}' is invalid: use letters, digits and underscores, not starting with a digit, " +
                    $"at most {MaxPropertyNameLength} characters, and not wrapped in double underscores.");
        }
        var json = properties.GetRawText();
        var bytes = Encoding.UTF8.GetByteCount(json);
        return bytes <= MaxPropertiesBytes ? json : throw new PayloadException($"properties is {bytes} bytes of JSON; the limit is {MaxPropertiesBytes}.");
    }

    private static string? Ip(JsonElement context)
    {
        var ip = Text(context, "ip");
        if (string.IsNullOrEmpty(ip)) return null;
        return IPAddress.TryParse(ip, out var address) ? address.ToString() : throw new PayloadException($"context.ip '{ip}' is not an IP address.");
    }

    private string? Bounded(JsonElement context, string name) =>
        Text(context, name) is { } text && text.Length > options.MaxStringLength
            ? throw new PayloadException($"context.{name} is longer than {options.MaxStringLength} characters.")
            : Text(context, name);

    private static string? Text(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new PayloadException($"{name} must be a string.");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PropertyName();
}

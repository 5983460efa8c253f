using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Ingestion.Normalize;

namespace Guidepost.Ingestion.Wire;

/// <summary>Turns the inflated JSON of an agent beacon (an array of events, §4 of the protocol) into
/// stored events. Any malformed event rejects the whole payload, naming the event and the field, so a
/// batch is never half-stored.</summary>
public sealed class AgentPayloadReader(IngestionOptions options)
{
    public const int MaxVisitorIdBytes = 128;
    public const int MaxAccountIdBytes = 256;
    private const int MaxShortFieldLength = 128;

    private static readonly HashSet<string> DomEventTypes = ["click", "focus", "submit", "change"];

    // Envelope fields kept as properties; wrapped in __…__ so they never collide with track properties,
    // whose names Pendo forbids to be wrapped that way.
    private static readonly (string Field, string Key)[] EnvelopeExtras =
    [
        ("utm", "__utm__"), ("frustrationTypes", "__frustrationTypes__"), ("eventProperties", "__eventProperties__"),
        ("parentTabId", "__parentTabId__"),
    ];

    public List<StoredEvent> Read(byte[] json, RequestContext request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new PayloadException($"The payload is not valid JSON (or nests deeper than {options.MaxJsonDepth}): {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array) throw new PayloadException("The payload must be a JSON array of events.");
            var count = root.GetArrayLength();
            if (count > options.MaxEventsPerRequest)
                throw new PayloadException($"The payload has {count} events; the limit is {options.MaxEventsPerRequest}.");

            var events = new List<StoredEvent>(count);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                try
                {
                    events.Add(ReadEvent(element, request));
                }
                catch (PayloadException e)
                {
                    throw new PayloadException($"Event {index}: {e.Message}");
                }
                index++;
            }
            return events;
        }
    }

    /// <summary>The envelope fields of one event, found in a single pass over its properties.</summary>
    private ref struct Envelope
    {
        public JsonElement Type, BrowserTime, VisitorId, AccountId, Url, Props, TabId, FrameId, SessionId, Sequence, TrackName;

        public Envelope(JsonElement e)
        {
            // Names are compared as UTF-8, so reading an event allocates no property-name strings.
            foreach (var property in e.EnumerateObject())
            {
                if (property.NameEquals("type"u8)) Type = property.Value;
                else if (property.NameEquals("browser_time"u8)) BrowserTime = property.Value;
                else if (property.NameEquals("visitor_id"u8)) VisitorId = property.Value;
                else if (property.NameEquals("account_id"u8)) AccountId = property.Value;
                else if (property.NameEquals("url"u8)) Url = property.Value;
                else if (property.NameEquals("props"u8)) Props = property.Value;
                else if (property.NameEquals("tabId"u8)) TabId = property.Value;
                else if (property.NameEquals("frameId"u8)) FrameId = property.Value;
                else if (property.NameEquals("sessionId"u8)) SessionId = property.Value;
                else if (property.NameEquals("sequence"u8)) Sequence = property.Value;
                else if (property.NameEquals("track_event_name"u8)) TrackName = property.Value;
            }
        }
    }

    private StoredEvent ReadEvent(JsonElement e, RequestContext request)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new PayloadException("is not a JSON object.");
        CheckStrings(e);
        var envelope = new Envelope(e);

        var type = OptionalString(envelope.Type, "type", MaxShortFieldLength) is { Length: > 0 } t ? t : throw new PayloadException("type is missing or empty.");
        var browserTime = RequiredTime(envelope.BrowserTime, "browser_time");
        var visitorId = WireIds.FromValue(envelope.VisitorId, "visitor_id", MaxVisitorIdBytes) ?? throw new PayloadException("visitor_id is missing or empty.");
        var props = envelope.Props;

        string? elementPath = null;
        if (DomEventTypes.Contains(type) && props.ValueKind == JsonValueKind.Object
            && props.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.Object)
            elementPath = ElementPath.Encode(target);

        return new StoredEvent
        {
            SubscriptionId = request.SubscriptionId,
            ApplicationId = request.ApplicationId,
            Type = type,
            Source = EventSource.Agent,
            BrowserTime = browserTime,
            ServerTime = request.ServerTime,
            VisitorId = visitorId,
            AccountId = WireIds.FromValue(envelope.AccountId, "account_id", MaxAccountIdBytes),
            SessionId = OptionalString(envelope.SessionId, "sessionId", MaxShortFieldLength),
            TabId = OptionalString(envelope.TabId, "tabId", MaxShortFieldLength),
            FrameId = OptionalString(envelope.FrameId, "frameId", MaxShortFieldLength),
            Sequence = OptionalInteger(envelope.Sequence, "sequence"),
            Url = OptionalString(envelope.Url, "url", options.MaxStringLength),
            ElementPath = elementPath,
            TrackName = type == "track" ? OptionalString(envelope.TrackName, "track_event_name", options.MaxStringLength) ?? "_PENDO_UNNAMED_" : null,
            Properties = Properties(e, props, elementPath is not null),
            RemoteIp = request.RemoteIp,
            UserAgent = request.UserAgent,
            Browser = request.ParsedUserAgent?.Browser,
            BrowserVersion = request.ParsedUserAgent?.BrowserVersion,
            Os = request.ParsedUserAgent?.Os,
            Device = request.ParsedUserAgent?.Device,
            Language = type == "meta" && MetaLanguage(props) is { } language ? language : request.Language,
        };
    }

    /// <summary>The event's props (minus the element chain, which has its own column) plus the envelope
    /// extras, as one JSON object; null when there is nothing to keep.</summary>
    private static string? Properties(JsonElement e, JsonElement props, bool hasElementPath)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var written = 0;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (props.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in props.EnumerateObject())
                {
                    if (hasElementPath && property.NameEquals("target"))
                    {
                        foreach (var leafField in ElementPath.LeafOnlyFields)
                            if (property.Value.TryGetProperty(leafField, out var value)) { writer.WritePropertyName(leafField); value.WriteTo(writer); written++; }
                        continue;
                    }
                    property.WriteTo(writer);
                    written++;
                }
            }
            else if (props.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                // The agent wraps a non-object track payload the same way.
                writer.WritePropertyName("__err__");
                props.WriteTo(writer);
                written++;
            }
            foreach (var (field, key) in EnvelopeExtras)
            {
                if (!e.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) continue;
                writer.WritePropertyName(key);
                value.WriteTo(writer);
                written++;
            }
            writer.WriteEndObject();
        }
        return written == 0 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? MetaLanguage(JsonElement props) =>
        props.ValueKind == JsonValueKind.Object && props.TryGetProperty("visitor", out var visitor) && visitor.ValueKind == JsonValueKind.Object
        && visitor.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.String
        && language.GetString() is { Length: > 0 and <= 64 } value
            ? value
            : null;

    private void CheckStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            // The raw (still escaped) UTF-8 is measured: no string is made just to learn its length.
            case JsonValueKind.String when JsonMarshal.GetRawUtf8Value(element).Length > options.MaxStringLength:
                throw new PayloadException($"has a string longer than {options.MaxStringLength} bytes.");
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) CheckStrings(property.Value);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CheckStrings(item);
                break;
        }
    }

    private static string? OptionalString(JsonElement value, string name, int maxLength)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new PayloadException($"{name} must be a string.");
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw new PayloadException($"{name} is longer than {maxLength} characters.");
    }

    private static long RequiredTime(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var ms))
            throw new PayloadException($"{name} is missing or not a number of milliseconds.");
        // Years 2000 to 2200: anything else is not a browser clock.
        if (ms < 946_684_800_000 || ms > 7_258_118_400_000) throw new PayloadException($"{name} {ms} is not a plausible epoch time in milliseconds.");
        return (long)ms;
    }

    private static long? OptionalInteger(JsonElement value, string name)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new PayloadException($"{name} must be an integer.");
    }
}

namespace Guidepost.Core.Events;

/// <summary>One analytics event as the event store keeps it: raw, untagged, normalised at ingest.</summary>
/// <remarks>Times are UTC epoch milliseconds. Every event carries its subscription and application so no
/// read can cross a subscription.</remarks>
public sealed record StoredEvent
{
    public required long SubscriptionId { get; init; }
    public required long ApplicationId { get; init; }

    /// <summary>The agent's event type (<c>load</c>, <c>click</c>, <c>track</c>, <c>guideSeen</c>, ...).</summary>
    public required string Type { get; init; }

    /// <summary>When the browser captured the event; analytics bucket events by this time.</summary>
    public required long BrowserTime { get; init; }

    /// <summary>When the server accepted the event.</summary>
    public required long ServerTime { get; init; }

    public required string VisitorId { get; init; }
    public string? AccountId { get; init; }
    public string? SessionId { get; init; }
    public string? TabId { get; init; }
    public string? FrameId { get; init; }
    public long? Sequence { get; init; }
    public string? Url { get; init; }

    /// <summary>The clicked element and its ancestors, encoded by the ingestion pipeline.</summary>
    public string? ElementPath { get; init; }

    public string? TrackName { get; init; }

    /// <summary>Type-specific properties as a JSON object text.</summary>
    public string? Properties { get; init; }

    public string? RemoteIp { get; init; }
    public string? UserAgent { get; init; }
    public string? Language { get; init; }
}

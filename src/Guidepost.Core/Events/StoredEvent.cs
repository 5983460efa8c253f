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

    public EventSource Source { get; init; } = EventSource.Agent;

    /// <summary>When the browser captured the event; analytics bucket events by this time.</summary>
    public required long BrowserTime { get; init; }

    /// <summary>When the server accepted the event.</summary>
    public required long ServerTime { get; init; }

    public required string VisitorId { get; init; }
    public string? AccountId { get; init; }
    public string? SessionId { get; init; }
    public string? TabId { get; init; }
    public string? FrameId { get; init; }

    /// <summary>The agent's counter across its queues; with tab, frame and time it identifies an event.</summary>
    public long? Sequence { get; init; }

    public string? Url { get; init; }
    public string? Title { get; init; }

    /// <summary>The target element and its ancestors up to BODY, in the compact JSON form ingestion writes.</summary>
    public string? ElementPath { get; init; }

    public string? TrackName { get; init; }

    /// <summary>Type-specific properties as a JSON object text (for example load_time, click flags,
    /// track properties, guide ids).</summary>
    public string? Properties { get; init; }

    public string? RemoteIp { get; init; }
    public string? UserAgent { get; init; }
    public string? Browser { get; init; }
    public string? BrowserVersion { get; init; }
    public string? Os { get; init; }
    public string? Device { get; init; }

    /// <summary>The visitor's language in the agent's form, such as <c>en_US</c>.</summary>
    public string? Language { get; init; }
}

/// <summary>Who sent an event.</summary>
public enum EventSource
{
    /// <summary>A web agent (Pendo's or Guidepost's) through the <c>/data/*.gif</c> beacons.</summary>
    Agent = 0,

    /// <summary>A server through the Track API (<c>POST /data/track</c>).</summary>
    TrackApi = 1,
}

namespace Guidepost.Core.Events;

/// <summary>What a rollup row counts, and so what its signature is.</summary>
public enum RollupKind
{
    /// <summary>Page loads; the signature is the URL.</summary>
    PageLoad = 1,

    /// <summary>Clicks; the signature is the element path.</summary>
    Click = 2,

    /// <summary>Track events; the signature is the event name.</summary>
    Track = 3,

    /// <summary>Every other event (focus, change, identify, guide events, …): no signature; they count toward time spent.</summary>
    Other = 4,
}

/// <summary>Events of one application, visitor and account in one UTC hour, of one kind and signature on
/// one URL: counts per quarter hour and the set of active minutes.</summary>
/// <param name="Hour">UTC hours since the epoch.</param>
/// <param name="Minutes">Bit m is set when an event happened in minute m of the hour.</param>
public sealed record Rollup(
    long SubscriptionId, long ApplicationId, long Hour, RollupKind Kind, string? Signature, string? Url, string VisitorId, string? AccountId,
    int EventsQ0, int EventsQ1, int EventsQ2, int EventsQ3, ulong Minutes)
{
    public int Events => EventsQ0 + EventsQ1 + EventsQ2 + EventsQ3;

    /// <summary>How an event is rolled up: its kind and signature. Defined once, for every store.</summary>
    public static (RollupKind Kind, string? Signature) Classify(StoredEvent e) => e.Type switch
    {
        "load" => (RollupKind.PageLoad, e.Url),
        "click" => (RollupKind.Click, e.ElementPath),
        "track" => (RollupKind.Track, e.TrackName),
        _ => (RollupKind.Other, null),
    };
}

namespace Guidepost.Workload;

/// <summary>Generated traffic: the deliveries to send, in the order an agent population would send
/// them, and the truth they carry.</summary>
public sealed record Workload(IReadOnlyList<Delivery> Deliveries, GroundTruth Truth);

/// <summary>One request an agent makes: a jzb payload for <c>/data/ptm.gif</c> (with <c>type=track</c>
/// for track events). A duplicate repeats an earlier delivery, as the agent's unload re-send does.</summary>
public sealed record Delivery(string Jzb, bool IsTrack, int EventCount, long SentAt, bool IsDuplicate);

/// <summary>One distinct event the generator made.</summary>
public sealed record GeneratedEvent(
    string Type, long BrowserTime, string VisitorId, string? AccountId, string TabId, string FrameId, long Sequence, string Url,
    string? TrackName, int? FeatureId);

/// <summary>What the workload contains, computed as it was generated, so tests and benchmarks check
/// answers without trusting the code under test.</summary>
public sealed class GroundTruth(IReadOnlyList<GeneratedEvent> events, IReadOnlyDictionary<string, string> identityLinks)
{
    /// <summary>Every distinct event, once, in generation order.</summary>
    public IReadOnlyList<GeneratedEvent> Events { get; } = events;

    /// <summary>Anonymous visitor id → the identified visitor it became.</summary>
    public IReadOnlyDictionary<string, string> IdentityLinks { get; } = identityLinks;

    public IReadOnlyDictionary<string, int> CountByType() =>
        Events.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count());

    public int DistinctVisitors => Events.Select(e => e.VisitorId).Distinct().Count();

    /// <summary>Page loads per URL.</summary>
    public IReadOnlyDictionary<string, int> PageViews() =>
        Events.Where(e => e.Type == "load").GroupBy(e => e.Url).ToDictionary(g => g.Key, g => g.Count());
}

namespace Guidepost.Workload;

/// <summary>The shape of generated traffic. The same options and seed always give the same workload.</summary>
public sealed record WorkloadOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Roughly how many distinct events to generate; the generator stops after the session that reaches it.</summary>
    public int TargetEvents { get; init; } = 100_000;

    public int Visitors { get; init; } = 5_000;
    public int Accounts { get; init; } = 500;
    public int Pages { get; init; } = 300;
    public int Features { get; init; } = 600;
    public int TrackTypes { get; init; } = 30;

    /// <summary>Popularity of pages, features, track types and visitors follows Zipf's law with this exponent.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Share of visitors whose first session is anonymous and who identify during it.</summary>
    public double AnonymousShare { get; init; } = 0.15;

    /// <summary>Share of accounts written as <c>{parent}::{child}</c>.</summary>
    public double ChildAccountShare { get; init; } = 0.2;

    /// <summary>Share of payloads delivered twice, as the agent re-sends on unload and retry.</summary>
    public double DuplicateShare { get; init; } = 0.05;

    /// <summary>Share of payloads delivered hours or days after their events happened.</summary>
    public double LateShare { get; init; } = 0.02;

    /// <summary>When set, agents flush only when this many events are queued (and on unload), like a busy
    /// single-page app between the agent's two-minute flushes; when null they flush after every load,
    /// identify and meta event, as the Pendo agent does by default.</summary>
    public int? EventsPerPayload { get; init; }

    /// <summary>Traffic spreads over this many days ending at <see cref="EndMs"/>.</summary>
    public int Days { get; init; } = 30;

    /// <summary>End of the generated period (epoch ms); fixed by default so runs are reproducible.</summary>
    public long EndMs { get; init; } = 1_790_000_000_000;
}

namespace Guidepost.Core.Events;

/// <summary>A distinct URL, element path or track name an application has seen.</summary>
/// <param name="Sequence">Increases with every new signature of the store: a reader that remembers the
/// largest it saw asks only for newer ones next time.</param>
/// <param name="Id">The id rollups carry for this string (as signature, and for URLs also as URL).</param>
public sealed record Signature(long Sequence, long Id, RollupKind Kind, string Value);

/// <summary>The rollup columns a query groups by; the others are summed (counts) or OR-ed (minutes).</summary>
[Flags]
public enum RollupGrouping
{
    None = 0,
    Hour = 1,
    Kind = 2,
    Signature = 4,
    Url = 8,
    Visitor = 16,
    Account = 32,
    Application = 64,
}

/// <summary>Rollups of some applications of one subscription over UTC hours [<see cref="FromHour"/>,
/// <see cref="ToHour"/>), filtered and grouped in the store. Visitors are always the identified ones:
/// an anonymous visitor's rows count under the visitor it became.</summary>
public sealed record RollupQuery(long SubscriptionId, IReadOnlyList<long> ApplicationIds, long FromHour, long ToHour, RollupGrouping GroupBy)
{
    /// <summary>Only these kinds; all when null.</summary>
    public IReadOnlyCollection<RollupKind>? Kinds { get; init; }

    /// <summary>Only rows whose signature id is one of these; any when null.</summary>
    public IReadOnlyCollection<long>? SignatureIds { get; init; }

    /// <summary>Only rows whose URL id is one of these; any when null.</summary>
    public IReadOnlyCollection<long>? UrlIds { get; init; }

    /// <summary>Only this (identified) visitor's rows, including those of the anonymous ids linked to it.</summary>
    public string? VisitorId { get; init; }

    /// <summary>False when the caller ignores <see cref="RollupTotal.Minutes"/>, so the store need not combine them.</summary>
    public bool Minutes { get; init; } = true;

    /// <summary>When set, only the quarter hours starting in [FromMs, ToMs) count, so a query that does not group
    /// by hour can still cover a range whose ends fall inside an hour (minutes are then not combined).</summary>
    public (long FromMs, long ToMs)? Quarters { get; init; }
}

/// <summary>One group of a <see cref="RollupQuery"/>: the grouped columns (others are default) and the sums.</summary>
public readonly record struct RollupTotal(
    long ApplicationId, long Hour, RollupKind Kind, long SignatureId, long UrlId, string? VisitorId, string? AccountId,
    long EventsQ0, long EventsQ1, long EventsQ2, long EventsQ3, ulong Minutes)
{
    public long Events => EventsQ0 + EventsQ1 + EventsQ2 + EventsQ3;

    public long EventsInQuarter(int quarter) => quarter switch { 0 => EventsQ0, 1 => EventsQ1, 2 => EventsQ2, _ => EventsQ3 };
}

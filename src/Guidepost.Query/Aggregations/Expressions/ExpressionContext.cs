using NodaTime;

namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>What an expression may read besides its row: the query's clock (<c>now()</c>) and the
/// subscription's time zone (midnights, weeks, months of the date functions).</summary>
public sealed record ExpressionContext(long NowMs, DateTimeZone Zone)
{
    /// <summary>Resolves <c>expandAppIds("web|mobile")</c> filters to app ids; null makes expandAppIds an
    /// error.</summary>
    public Func<string, IReadOnlyList<double>>? ExpandAppIds { get; init; }
}

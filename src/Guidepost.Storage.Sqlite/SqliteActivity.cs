using Guidepost.Core.Events;

namespace Guidepost.Storage.Sqlite;

/// <summary>The columns of the activity table: for each rollup kind, four quarter-hour counts and a minute
/// bit set, in kind order (page load, click, track, other).</summary>
internal static class SqliteActivity
{
    public static readonly string[] KindNames = ["load", "click", "track", "other"];

    public static string QuarterColumn(RollupKind kind, int quarter) => $"{KindNames[(int)kind - 1]}_q{quarter}";

    public static string MinutesColumn(RollupKind kind) => $"{KindNames[(int)kind - 1]}_minutes";

    /// <summary>Counts and minutes of every kind, in the order the upsert binds and readers read them.</summary>
    public static readonly string ValueColumns = string.Join(", ",
        Enum.GetValues<RollupKind>().SelectMany(k => Enumerable.Range(0, 4).Select(q => QuarterColumn(k, q)))
            .Concat(Enum.GetValues<RollupKind>().Select(MinutesColumn)));

    public static readonly string UpsertSql = $"""
        INSERT INTO activity (app_id, hour, visitor_id, account_id, subscription_id, {ValueColumns})
        VALUES ({string.Join(", ", Enumerable.Range(1, 25).Select(i => $"?{i}"))})
        ON CONFLICT DO UPDATE SET {string.Join(", ", Enum.GetValues<RollupKind>().SelectMany(k => Enumerable.Range(0, 4).Select(q => QuarterColumn(k, q)))
            .Select(c => $"{c} = {c} + excluded.{c}")
            .Concat(Enum.GetValues<RollupKind>().Select(MinutesColumn).Select(c => $"{c} = {c} | excluded.{c}")))};
        """;
}

using System.Runtime.CompilerServices;
using Guidepost.Core.Events;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>Runs a <see cref="RollupQuery"/>: SQLite filters (on the activity table when signatures and URLs
/// play no part, which has several times fewer rows; on rollups through the index that fits otherwise) and
/// streams rows in hour order; grouping happens here, one hour at a time when grouping by hour, so no
/// query sorts or holds more than an hour of groups. Anonymous visitors are mapped to the visitors they
/// became while grouping.</summary>
internal static class SqliteRollupQuery
{
    private readonly record struct GroupKey(long App, long Hour, RollupKind Kind, long Signature, long Url, string? Visitor, string? Account);

    private sealed class Sums
    {
        public long Q0, Q1, Q2, Q3;
        public ulong Minutes;
    }

    private static readonly Comparer<GroupKey> Order = Comparer<GroupKey>.Create((a, b) =>
    {
        var c = a.App.CompareTo(b.App);
        if (c == 0) c = a.Hour.CompareTo(b.Hour);
        if (c == 0) c = string.CompareOrdinal(a.Visitor, b.Visitor);
        if (c == 0) c = string.CompareOrdinal(a.Account, b.Account);
        if (c == 0) c = a.Kind.CompareTo(b.Kind);
        if (c == 0) c = a.Signature.CompareTo(b.Signature);
        return c != 0 ? c : a.Url.CompareTo(b.Url);
    });

    /// <param name="links">Anonymous visitor id → identified visitor id, for the query's subscription.</param>
    public static async IAsyncEnumerable<RollupTotal> RunAsync(
        SqliteConnection connection, RollupQuery query, IReadOnlyDictionary<string, string> links, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var g = query.GroupBy;
        var byHour = g.HasFlag(RollupGrouping.Hour);
        var (visitors, accounts) = (g.HasFlag(RollupGrouping.Visitor), g.HasFlag(RollupGrouping.Account));
        var commands = Commands(connection, query, byHour);
        var readers = new List<SqliteDataReader>();
        try
        {
            foreach (var command in commands)
            {
                var opened = await command.ExecuteReaderAsync(cancellationToken);
                // Microsoft.Data.Sqlite reads synchronously anyway; Read avoids a task per row.
                if (opened.Read()) readers.Add(opened);
                else await opened.DisposeAsync();
            }
            var groups = new Dictionary<GroupKey, Sums>();
            var hour = long.MinValue;
            while (readers.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Each reader is in hour order; taking the lowest hour first merges them in hour order.
                var reader = readers[0];
                for (var i = 1; i < readers.Count; i++)
                    if (readers[i].GetInt64(1) < reader.GetInt64(1)) reader = readers[i];
                var rowHour = reader.GetInt64(1);
                if (byHour && rowHour != hour && groups.Count > 0)
                    foreach (var total in Drain(groups)) yield return total;
                hour = rowHour;

                string? visitor = null;
                if (visitors)
                {
                    visitor = query.VisitorId ?? reader.GetString(5);
                    if (links.TryGetValue(visitor, out var identified)) visitor = identified;
                }
                var key = new GroupKey(
                    g.HasFlag(RollupGrouping.Application) ? reader.GetInt64(0) : 0, byHour ? rowHour : 0,
                    g.HasFlag(RollupGrouping.Kind) ? (RollupKind)reader.GetInt64(2) : 0,
                    g.HasFlag(RollupGrouping.Signature) ? reader.GetInt64(3) : 0, g.HasFlag(RollupGrouping.Url) ? reader.GetInt64(4) : 0,
                    visitor, accounts ? reader.GetString(6) : null);
                if (!groups.TryGetValue(key, out var sums)) groups[key] = sums = new Sums();
                sums.Q0 += reader.GetInt64(7);
                sums.Q1 += reader.GetInt64(8);
                sums.Q2 += reader.GetInt64(9);
                sums.Q3 += reader.GetInt64(10);
                sums.Minutes |= (ulong)reader.GetInt64(11);

                if (!reader.Read())
                {
                    readers.Remove(reader);
                    await reader.DisposeAsync();
                }
            }
            foreach (var total in Drain(groups)) yield return total;
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
            foreach (var command in commands) await command.DisposeAsync();
        }
    }

    private static List<RollupTotal> Drain(Dictionary<GroupKey, Sums> groups)
    {
        var keys = groups.Keys.ToList();
        keys.Sort(Order);
        var totals = keys.Select(k =>
        {
            var s = groups[k];
            return new RollupTotal(k.App, k.Hour, k.Kind, k.Signature, k.Url, k.Visitor, k.Account is { Length: > 0 } a ? a : null, s.Q0, s.Q1, s.Q2, s.Q3, s.Minutes);
        }).ToList();
        groups.Clear();
        return totals;
    }

    /// <summary>The statements that read the query's rows, each in hour order when <paramref name="byHour"/>:
    /// one on rollups, or on the activity table one per application and kind (its key order). Id lists are
    /// written into the text as integer literals (they are numbers, so nothing can be injected), which keeps
    /// any number of them under SQLite's parameter limit.</summary>
    private static List<SqliteCommand> Commands(SqliteConnection connection, RollupQuery query, bool byHour)
    {
        var fine = query.GroupBy.HasFlag(RollupGrouping.Signature) || query.GroupBy.HasFlag(RollupGrouping.Url)
            || query.SignatureIds is not null || query.UrlIds is not null || query.VisitorId is not null;
        if (!fine)
            return [.. from app in query.ApplicationIds
                       from kind in query.Kinds ?? Enum.GetValues<RollupKind>()
                       select Command(connection, query, "activity r", $"r.app_id = {app} AND r.kind = {(long)kind}", "0, 0", byHour)];

        // Without statistics SQLite would walk the time range of the primary key; a tag's few signatures
        // or one visitor are far fewer rows through their own index.
        var source = query.VisitorId is not null ? "rollups r INDEXED BY rollups_by_visitor"
            : query.SignatureIds is not null && query.Kinds is not null ? "rollups r INDEXED BY rollups_by_signature"
            : "rollups r";
        var where = new List<string> { $"r.app_id IN ({Literals(query.ApplicationIds)})" };
        if (query.Kinds is { } kinds) where.Add($"r.kind IN ({Literals(kinds.Select(k => (long)k))})");
        if (query.SignatureIds is { } signatures) where.Add($"r.signature_id IN ({Literals(signatures)})");
        if (query.UrlIds is { } urls) where.Add($"r.url_id IN ({Literals(urls)})");
        if (query.VisitorId is not null)
            where.Add("r.visitor_id IN (SELECT $visitor UNION ALL SELECT anonymous_id FROM identity_links WHERE subscription_id = $subscription AND visitor_id = $visitor)");
        return [Command(connection, query, source, string.Join(" AND ", where), "r.signature_id, r.url_id", byHour)];
    }

    private static SqliteCommand Command(SqliteConnection connection, RollupQuery query, string source, string where, string signatureColumns, bool byHour)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.app_id, r.hour, r.kind, {signatureColumns}, r.visitor_id, r.account_id,
                r.events_q0, r.events_q1, r.events_q2, r.events_q3, r.minutes
            FROM {source}
            WHERE {where} AND r.subscription_id = $subscription AND r.hour >= $from AND r.hour < $to{(query.AccountId is null ? "" : " AND r.account_id = $account")}
            {(byHour ? "ORDER BY r.hour" : "")};
            """;
        command.Parameters.AddWithValue("$subscription", query.SubscriptionId);
        command.Parameters.AddWithValue("$from", query.FromHour);
        command.Parameters.AddWithValue("$to", query.ToHour);
        if (query.VisitorId is not null) command.Parameters.AddWithValue("$visitor", query.VisitorId);
        if (query.AccountId is not null) command.Parameters.AddWithValue("$account", query.AccountId);
        return command;
    }

    private static string Literals(IEnumerable<long> ids)
    {
        var text = string.Join(",", ids);
        return text.Length == 0 ? "NULL" : text;
    }
}

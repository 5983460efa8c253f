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
        var fromActivity = !Fine(query);
        RollupKind[] kinds = [.. query.Kinds ?? Enum.GetValues<RollupKind>()];
        // Kinds summed together are summed by SQLite (one value per quarter instead of one per kind), and rows
        // that differ only in columns not grouped by are merged by SQLite, so fewer rows cross into .NET.
        var combined = fromActivity && !g.HasFlag(RollupGrouping.Kind);
        if (query.Minutes) SqliteEventStore.AddFunctions(connection);
        var commands = fromActivity
            ? [.. query.ApplicationIds.Select(app => ActivityCommand(connection, query, app, byHour, kinds, combined))]
            : new List<SqliteCommand> { RollupsCommand(connection, query, byHour) };
        var readers = new List<SqliteDataReader>();
        var hours = new List<long>(); // the current row's hour of each reader
        var groups = new Dictionary<GroupKey, Sums>();
        Sums? last = null, sums;
        GroupKey lastKey = default;
        var arrival = new List<GroupKey>(); // the groups in the order they first appeared
        try
        {
            foreach (var command in commands)
            {
                var opened = await command.ExecuteReaderAsync(cancellationToken);
                // Microsoft.Data.Sqlite reads synchronously anyway; Read avoids a task per row.
                if (opened.Read())
                {
                    readers.Add(opened);
                    hours.Add(opened.GetInt64(1));
                }
                else await opened.DisposeAsync();
            }
            // One activity stream comes in (hour, visitor, account) order, one row per visitor and account, kinds
            // in order within it: its groups arrive in key order unless an anonymous visitor is renamed, accounts
            // are grouped without visitors, or kinds are grouped across several rows.
            var inOrder = fromActivity && readers.Count <= 1 && (visitors || !accounts) && (!g.HasFlag(RollupGrouping.Kind) || (visitors && accounts));
            var sorted = inOrder;
            var hour = long.MinValue;
            while (readers.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Each reader is in hour order; taking the lowest hour first merges them in hour order.
                var next = 0;
                for (var i = 1; i < readers.Count; i++)
                    if (hours[i] < hours[next]) next = i;
                var reader = readers[next];
                var rowHour = hours[next];
                if (byHour && rowHour != hour && groups.Count > 0)
                {
                    last = null;
                    foreach (var total in Drain(groups, arrival, !sorted)) yield return total;
                    sorted = inOrder;
                }
                hour = rowHour;

                string? visitor = null;
                if (visitors)
                {
                    visitor = query.VisitorId ?? reader.GetString(fromActivity ? 2 : 5);
                    if (links.TryGetValue(visitor, out var identified))
                    {
                        visitor = identified;
                        sorted = false;
                    }
                }
                var account = accounts ? reader.GetString(fromActivity ? 3 : 6) : null;
                var app = g.HasFlag(RollupGrouping.Application) ? reader.GetInt64(0) : 0;
                if (combined)
                {
                    var (q0, q1, q2, q3) = (reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
                    if (q0 + q1 + q2 + q3 > 0) Add(new GroupKey(app, byHour ? rowHour : 0, 0, 0, 0, visitor, account), q0, q1, q2, q3, query.Minutes ? (ulong)reader.GetInt64(8) : 0);
                }
                else if (fromActivity)
                {
                    foreach (var kind in kinds)
                    {
                        var at = 4 + 4 * ((int)kind - 1);
                        var (q0, q1, q2, q3) = (reader.GetInt64(at), reader.GetInt64(at + 1), reader.GetInt64(at + 2), reader.GetInt64(at + 3));
                        if (q0 + q1 + q2 + q3 == 0) continue;
                        Add(new GroupKey(app, byHour ? rowHour : 0, g.HasFlag(RollupGrouping.Kind) ? kind : 0, 0, 0, visitor, account),
                            q0, q1, q2, q3, (ulong)reader.GetInt64(20 + (int)kind - 1));
                    }
                }
                else
                {
                    Add(new GroupKey(app, byHour ? rowHour : 0, g.HasFlag(RollupGrouping.Kind) ? (RollupKind)reader.GetInt64(2) : 0,
                            g.HasFlag(RollupGrouping.Signature) ? reader.GetInt64(3) : 0, g.HasFlag(RollupGrouping.Url) ? reader.GetInt64(4) : 0, visitor, account),
                        reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), (ulong)reader.GetInt64(11));
                    sorted = false;
                }

                if (reader.Read()) hours[next] = reader.GetInt64(1);
                else
                {
                    readers.RemoveAt(next);
                    hours.RemoveAt(next);
                    await reader.DisposeAsync();
                }
            }
            // Visitors across all hours can be many: they go out unsorted, as the store's contract allows.
            foreach (var total in Drain(groups, arrival, !sorted && (byHour || !visitors))) yield return total;
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
            foreach (var command in commands) await command.DisposeAsync();
        }

        void Add(GroupKey key, long q0, long q1, long q2, long q3, ulong minutes)
        {
            // Rows of one group mostly come one after another: the previous row's group is tried first.
            if (last is not null && key == lastKey) sums = last;
            else if (!groups.TryGetValue(key, out sums))
            {
                groups[key] = sums = new Sums();
                arrival.Add(key);
            }
            (last, lastKey) = (sums, key);
            sums.Q0 += q0;
            sums.Q1 += q1;
            sums.Q2 += q2;
            sums.Q3 += q3;
            sums.Minutes |= minutes;
        }
    }

    /// <summary>The groups collected so far, in arrival order, sorted into key order when <paramref name="sort"/>.</summary>
    private static List<RollupTotal> Drain(Dictionary<GroupKey, Sums> groups, List<GroupKey> arrival, bool sort)
    {
        if (sort) arrival.Sort(Order);
        var totals = new List<RollupTotal>(arrival.Count);
        foreach (var k in arrival)
        {
            var s = groups[k];
            totals.Add(new RollupTotal(k.App, k.Hour, k.Kind, k.Signature, k.Url, k.Visitor, k.Account is { Length: > 0 } a ? a : null, s.Q0, s.Q1, s.Q2, s.Q3, s.Minutes));
        }
        groups.Clear();
        arrival.Clear();
        return totals;
    }

    /// <summary>Whether the query needs signatures or URLs, which only rollups have.</summary>
    private static bool Fine(RollupQuery query) =>
        query.GroupBy.HasFlag(RollupGrouping.Signature) || query.GroupBy.HasFlag(RollupGrouping.Url) || query.SignatureIds is not null || query.UrlIds is not null;

    /// <summary>One application's activity rows, in key order (hour, visitor, account); one visitor's through
    /// their index.</summary>
    /// <param name="combined">Select the kinds' quarter counts summed and their minutes OR-ed (columns 4–8).</param>
    private static SqliteCommand ActivityCommand(SqliteConnection connection, RollupQuery query, long app, bool byHour, RollupKind[] kinds, bool combined)
    {
        var g = query.GroupBy;
        var (keys, groupBy) = Keys(
            ("r.app_id", true, "0"), ("r.hour", byHour, "0"), ("r.visitor_id", g.HasFlag(RollupGrouping.Visitor), "''"), ("r.account_id", g.HasFlag(RollupGrouping.Account), "''"));
        string Quarter(RollupKind[] summed, int q) => InQuarters(query, q, string.Join(" + ", summed.Select(k => SqliteActivity.QuarterColumn(k, q))));
        string Minutes(RollupKind[] summed) => string.Join(" | ", summed.Select(SqliteActivity.MinutesColumn));
        var all = Enum.GetValues<RollupKind>();
        var values = combined
            ? [.. Enumerable.Range(0, 4).Select(q => (Quarter(kinds, q), false)), (Minutes(kinds), true)]
            : all.SelectMany(k => Enumerable.Range(0, 4).Select(q => (Quarter([k], q), false))).Concat(all.Select(k => (Minutes([k]), true))).ToList();
        // Rows with none of the asked kinds add nothing: SQLite drops them before they cross into .NET.
        var some = combined && kinds.Length < all.Length
            ? $" AND {string.Join(" + ", Enumerable.Range(0, 4).SelectMany(q => kinds.Select(k => SqliteActivity.QuarterColumn(k, q))))} > 0"
            : "";
        return Command(connection, query,
            $"SELECT {keys}, {Aggregates(values, groupBy is not null, query.Minutes)} FROM activity r{(query.VisitorId is null ? "" : " INDEXED BY activity_by_visitor")}",
            $"r.app_id = {app}{some}{(query.VisitorId is null ? "" : $" AND {VisitorFilter}")}", byHour, groupBy);
    }

    /// <summary>The key columns to select (a column not grouped by as a constant) and, when visitors are not
    /// grouped by, the GROUP BY that merges rows in SQLite (with visitors the merge saves little: SQLite sorts
    /// them, where .NET's hash grouping is faster, and the minute aggregate is a .NET callback per row).</summary>
    private static (string Select, string? GroupBy) Keys(params (string Column, bool Grouped, string Constant)[] keys)
    {
        var select = string.Join(", ", keys.Select(k => k.Grouped ? k.Column : k.Constant));
        if (keys.All(k => k.Grouped) || keys.Any(k => k.Column == "r.visitor_id" && k.Grouped)) return (select, null);
        var grouped = keys.Where(k => k.Grouped).Select(k => k.Column).ToList();
        return (select, grouped.Count == 0 ? "r.subscription_id" : string.Join(", ", grouped));
    }

    /// <summary>Count and minute expressions, summed and OR-ed when SQLite groups (minutes are 0 when not wanted).</summary>
    private static string Aggregates(IEnumerable<(string Expression, bool Minutes)> values, bool grouped, bool minutes) =>
        string.Join(", ", values.Select(v => v.Minutes && !minutes ? "0" : !grouped ? v.Expression : v.Minutes ? $"bit_or({v.Expression})" : $"sum({v.Expression})"));

    /// <summary>A quarter's count, or 0 when <see cref="RollupQuery.Quarters"/> leaves that quarter out. The
    /// bounds are numbers written as literals.</summary>
    private static string InQuarters(RollupQuery query, int quarter, string count)
    {
        if (query.Quarters is not var (from, to)) return count;
        var start = $"r.hour * 3600000 + {quarter * 900_000}";
        return $"(CASE WHEN {start} >= {from} AND {start} < {to} THEN {count} ELSE 0 END)";
    }

    private const string VisitorFilter =
        "r.visitor_id IN (SELECT $visitor UNION ALL SELECT anonymous_id FROM identity_links WHERE subscription_id = $subscription AND visitor_id = $visitor)";

    /// <summary>Rollup rows for signatures or URLs: the primary key (application, kind, hour, ...) narrows them
    /// to the kinds and hours asked. Id lists are written into the text as integer literals (they are numbers,
    /// so nothing can be injected), which keeps any number of them under SQLite's parameter limit.</summary>
    private static SqliteCommand RollupsCommand(SqliteConnection connection, RollupQuery query, bool byHour)
    {
        var where = new List<string>
        {
            $"r.app_id IN ({Literals(query.ApplicationIds)})",
            $"r.kind IN ({Literals((query.Kinds ?? Enum.GetValues<RollupKind>()).Select(k => (long)k))})",
        };
        if (query.SignatureIds is { } signatures) where.Add($"r.signature_id IN ({Literals(signatures)})");
        if (query.UrlIds is { } urls) where.Add($"r.url_id IN ({Literals(urls)})");
        if (query.VisitorId is not null) where.Add(VisitorFilter);
        var g = query.GroupBy;
        var (keys, groupBy) = Keys(
            ("r.app_id", g.HasFlag(RollupGrouping.Application), "0"), ("r.hour", byHour, "0"), ("r.kind", g.HasFlag(RollupGrouping.Kind), "0"),
            ("r.signature_id", g.HasFlag(RollupGrouping.Signature), "0"), ("r.url_id", g.HasFlag(RollupGrouping.Url), "0"),
            ("r.visitor_id", g.HasFlag(RollupGrouping.Visitor), "''"), ("r.account_id", g.HasFlag(RollupGrouping.Account), "''"));
        string[] values = [.. Enumerable.Range(0, 4).Select(q => InQuarters(query, q, $"r.events_q{q}"))];
        return Command(connection, query,
            $"SELECT {keys}, {Aggregates([.. values.Select(v => (v, false)), ("r.minutes", true)], groupBy is not null, query.Minutes)} FROM rollups r",
            string.Join(" AND ", where), byHour, groupBy);
    }

    private static SqliteCommand Command(SqliteConnection connection, RollupQuery query, string select, string where, bool byHour, string? groupBy = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            {select}
            WHERE {where} AND r.subscription_id = $subscription AND r.hour >= $from AND r.hour < $to
            {(groupBy is null ? "" : $"GROUP BY {groupBy}")}
            {(byHour ? "ORDER BY r.hour" : "")};
            """;
        command.Parameters.AddWithValue("$subscription", query.SubscriptionId);
        command.Parameters.AddWithValue("$from", query.FromHour);
        command.Parameters.AddWithValue("$to", query.ToHour);
        if (query.VisitorId is not null) command.Parameters.AddWithValue("$visitor", query.VisitorId);
        return command;
    }

    private static string Literals(IEnumerable<long> ids)
    {
        var text = string.Join(",", ids);
        return text.Length == 0 ? "NULL" : text;
    }
}

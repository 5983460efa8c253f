using Guidepost.Core.Events;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>Within a batch's transaction, folds each newly stored event into its rollup row and its activity
/// row (the rollup without signature and URL) and records the signatures (URLs, element paths, track names)
/// each application has seen.</summary>
internal sealed class SqliteRollupWriter : IDisposable
{
    private const int MaxCachedSignatures = 500_000;

    private readonly record struct Key(long Subscription, long App, long Hour, RollupKind Kind, long Signature, long Url, string Visitor, string Account);

    private readonly record struct ActivityKey(long Subscription, long App, long Hour, string Visitor, string Account);

    /// <summary>One activity row: per kind (1–4), counts per quarter hour and the minute bit set.</summary>
    private sealed class KindCounts
    {
        public readonly int[] Quarters = new int[16];
        public readonly long[] Minutes = new long[4];
    }

    private sealed class Counts
    {
        public readonly int[] Quarters = new int[4];
        public long Minutes;
    }

    private readonly RawStatement _upsertRollup;
    private readonly RawStatement _upsertActivity;
    private readonly Dictionary<ActivityKey, KindCounts> _activity = [];
    private readonly RawStatement _insertSignature;
    private readonly Dictionary<Key, Counts> _rows = [];
    private readonly HashSet<(long App, int Kind, long Value)> _signatures = [];
    private readonly HashSet<(long App, int Kind, long Value)> _pendingSignatures = [];

    public SqliteRollupWriter(SqliteConnection connection)
    {
        _upsertRollup = new RawStatement(connection, """
            INSERT INTO rollups (app_id, hour, kind, signature_id, url_id, visitor_id, account_id, subscription_id,
                events_q0, events_q1, events_q2, events_q3, minutes)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT DO UPDATE SET events_q0 = events_q0 + excluded.events_q0, events_q1 = events_q1 + excluded.events_q1,
                events_q2 = events_q2 + excluded.events_q2, events_q3 = events_q3 + excluded.events_q3, minutes = minutes | excluded.minutes;
            """);
        _upsertActivity = new RawStatement(connection, SqliteActivity.UpsertSql);
        _insertSignature = new RawStatement(connection, "INSERT INTO signatures (app_id, kind, value_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING;");
    }

    /// <summary>Counts a newly stored event, given the dictionary ids its strings got.</summary>
    public void Add(StoredEvent e, long? urlId, long? elementId, long? trackId)
    {
        var (kind, _) = Rollup.Classify(e);
        var signature = kind switch
        {
            RollupKind.PageLoad => urlId,
            RollupKind.Click => elementId,
            RollupKind.Track => trackId,
            _ => null,
        };
        var minuteOfEpoch = Math.DivRem(e.BrowserTime, 60_000).Quotient;
        var (hour, minute) = Math.DivRem(minuteOfEpoch, 60);
        var key = new Key(e.SubscriptionId, e.ApplicationId, hour, kind, signature ?? 0, urlId ?? 0, e.VisitorId, e.AccountId ?? "");
        if (!_rows.TryGetValue(key, out var counts)) _rows[key] = counts = new Counts();
        counts.Quarters[minute / 15]++;
        counts.Minutes |= 1L << (int)minute;
        var activityKey = new ActivityKey(e.SubscriptionId, e.ApplicationId, hour, e.VisitorId, e.AccountId ?? "");
        if (!_activity.TryGetValue(activityKey, out var activity)) _activity[activityKey] = activity = new KindCounts();
        var k = (int)kind - 1;
        activity.Quarters[4 * k + (int)(minute / 15)]++;
        activity.Minutes[k] |= 1L << (int)minute;

        See(e.ApplicationId, RollupKind.PageLoad, urlId);
        See(e.ApplicationId, RollupKind.Click, elementId);
        See(e.ApplicationId, RollupKind.Track, trackId);
    }

    /// <summary>Writes what <see cref="Add"/> collected, in the connection's current transaction.</summary>
    public void Write()
    {
        foreach (var (key, counts) in _rows)
        {
            var upsert = _upsertRollup;
            upsert.Bind(1, key.App);
            upsert.Bind(2, key.Hour);
            upsert.Bind(3, (long)key.Kind);
            upsert.Bind(4, key.Signature);
            upsert.Bind(5, key.Url);
            upsert.Bind(6, key.Visitor);
            upsert.Bind(7, key.Account);
            upsert.Bind(8, key.Subscription);
            for (var q = 0; q < 4; q++) upsert.Bind(9 + q, counts.Quarters[q]);
            upsert.Bind(13, counts.Minutes);
            upsert.Execute();
        }
        foreach (var (key, counts) in _activity)
        {
            var upsert = _upsertActivity;
            upsert.Bind(1, key.App);
            upsert.Bind(2, key.Hour);
            upsert.Bind(3, key.Visitor);
            upsert.Bind(4, key.Account);
            upsert.Bind(5, key.Subscription);
            for (var i = 0; i < 16; i++) upsert.Bind(6 + i, counts.Quarters[i]);
            for (var k = 0; k < 4; k++) upsert.Bind(22 + k, counts.Minutes[k]);
            upsert.Execute();
        }
        _activity.Clear();
        foreach (var (app, kind, value) in _pendingSignatures)
        {
            _insertSignature.Bind(1, app);
            _insertSignature.Bind(2, kind);
            _insertSignature.Bind(3, value);
            _insertSignature.Execute();
        }
        _rows.Clear();
    }

    /// <summary>After the commit: signatures written are known to exist from now on.</summary>
    public void Committed()
    {
        if (_signatures.Count + _pendingSignatures.Count > MaxCachedSignatures) _signatures.Clear();
        _signatures.UnionWith(_pendingSignatures);
        _pendingSignatures.Clear();
    }

    /// <summary>After a rollback: forget everything the failed batch collected.</summary>
    public void RolledBack()
    {
        _rows.Clear();
        _activity.Clear();
        _pendingSignatures.Clear();
    }

    private void See(long app, RollupKind kind, long? value)
    {
        if (value is { } id && !_signatures.Contains((app, (int)kind, id))) _pendingSignatures.Add((app, (int)kind, id));
    }

    public void Dispose()
    {
        _upsertRollup.Dispose();
        _upsertActivity.Dispose();
        _insertSignature.Dispose();
    }
}

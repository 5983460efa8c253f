using Guidepost.Core.Events;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>Writes one <see cref="IngestBatch"/> per transaction on the store's single writer connection,
/// with statements prepared once and dictionary ids cached in memory.</summary>
/// <remarks>Not thread-safe: the store calls it under its write lock.</remarks>
internal sealed class SqliteBatchWriter : IDisposable
{
    private const int MaxCachedStrings = 200_000;

    private readonly SqliteConnection _connection;
    private readonly RawStatement _insertEvent;
    private readonly SqliteCommand _internString;
    private readonly SqliteCommand _internUserAgent;
    private readonly RawStatement _upsertEntity;
    private readonly Dictionary<(long Subscription, EntityKind Kind, string Id), Sighting> _sightings = [];
    private readonly SqliteRollupWriter _rollups;
    private readonly SqliteGuideStateWriter _guideStates;
    private readonly SqliteCommand _upsertMetadata;
    private readonly SqliteCommand _upsertLink;
    private readonly SqliteCommand _addVisitorAccount;
    private readonly SqliteCommand _inheritAccounts;
    private readonly HashSet<(long Subscription, string Visitor, string Account)> _visitorAccounts = [];

    // Ids are cached only once their transaction has committed; a rolled-back id must never be reused.
    private readonly Dictionary<(DictionaryKind, string), long> _strings = [];
    private readonly Dictionary<string, long> _userAgents = [];
    private readonly Dictionary<(DictionaryKind, string), long> _pendingStrings = [];
    private readonly Dictionary<string, long> _pendingUserAgents = [];

    public SqliteBatchWriter(SqliteConnection connection)
    {
        _connection = connection;
        _insertEvent = new RawStatement(connection, """
            INSERT INTO events (subscription_id, app_id, identity, type, source, browser_time, server_time, visitor_id, account_id,
                session_id, tab_id, frame_id, sequence, url_id, title_id, element_id, track_id, properties, remote_ip, user_agent_id, language)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
            ON CONFLICT (app_id, browser_time, identity) DO NOTHING;
            """);
        // DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING yields the id of an existing row too.
        _internString = Command("""
            INSERT INTO dictionary (kind, value) VALUES ($0, $1)
            ON CONFLICT (kind, value) DO UPDATE SET kind = excluded.kind RETURNING id;
            """, 2);
        _internUserAgent = Command("""
            INSERT INTO user_agents (value, browser, browser_version, os, device) VALUES ($0, $1, $2, $3, $4)
            ON CONFLICT (value) DO UPDATE SET value = excluded.value RETURNING id;
            """, 5);
        _rollups = new SqliteRollupWriter(connection);
        _guideStates = new SqliteGuideStateWriter(connection);
        _upsertEntity = new RawStatement(connection, """
            INSERT INTO entities (subscription_id, kind, entity_id, first_seen, last_seen,
                last_app_id, last_url_id, last_user_agent_id, last_ip, last_language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT DO UPDATE SET first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen),
                last_app_id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_app_id ELSE last_app_id END,
                last_url_id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_url_id ELSE last_url_id END,
                last_user_agent_id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_user_agent_id ELSE last_user_agent_id END,
                last_ip = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_ip ELSE last_ip END,
                last_language = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_language ELSE last_language END;
            """);
        _upsertMetadata = Command("""
            INSERT INTO metadata (subscription_id, kind, entity_id, grp, field, value, updated_at) VALUES ($0, $1, $2, $3, $4, $5, $6)
            ON CONFLICT DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            WHERE excluded.updated_at >= metadata.updated_at;
            """, 7);
        _upsertLink = Command("""
            INSERT INTO identity_links (subscription_id, anonymous_id, visitor_id, linked_at) VALUES ($0, $1, $2, $3)
            ON CONFLICT DO UPDATE SET visitor_id = excluded.visitor_id, linked_at = excluded.linked_at
            WHERE excluded.linked_at >= identity_links.linked_at;
            """, 4);
        // A pair goes in under the raw visitor and, when that id is anonymous and linked, under the visitor it became.
        _addVisitorAccount = Command("""
            INSERT OR IGNORE INTO visitor_accounts (subscription_id, visitor_id, account_id)
            SELECT $0, $1, $2
            UNION ALL SELECT subscription_id, visitor_id, $2 FROM identity_links WHERE subscription_id = $0 AND anonymous_id = $1;
            """, 3);
        _inheritAccounts = Command("""
            INSERT OR IGNORE INTO visitor_accounts (subscription_id, visitor_id, account_id)
            SELECT subscription_id, $2, account_id FROM visitor_accounts WHERE subscription_id = $0 AND visitor_id = $1;
            """, 3);
    }

    public AppendResult Append(IngestBatch batch)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in new[] { _internString, _internUserAgent, _upsertMetadata, _upsertLink, _addVisitorAccount, _inheritAccounts })
            command.Transaction = transaction;
        try
        {
            var stored = 0;
            foreach (var e in batch.Events) stored += InsertEvent(e);
            _rollups.Write();
            foreach (var (key, sighting) in _sightings) UpsertEntity(key, sighting);
            _sightings.Clear();
            foreach (var m in batch.Metadata)
                Execute(_upsertMetadata, m.SubscriptionId, (long)m.Kind, m.EntityId, m.Group, m.Field, m.JsonValue, m.At);
            foreach (var link in batch.Links)
            {
                Execute(_upsertLink, link.SubscriptionId, link.AnonymousVisitorId, link.VisitorId, link.At);
                Execute(_inheritAccounts, link.SubscriptionId, link.AnonymousVisitorId, link.VisitorId);
            }
            foreach (var (subscription, visitor, account) in _visitorAccounts) Execute(_addVisitorAccount, subscription, visitor, account);
            _visitorAccounts.Clear();
            transaction.Commit();
            KeepPendingIds();
            _rollups.Committed();
            return new AppendResult(stored, batch.Events.Count - stored);
        }
        catch
        {
            _sightings.Clear();
            _visitorAccounts.Clear();
            _pendingStrings.Clear();
            _pendingUserAgents.Clear();
            _rollups.RolledBack();
            throw;
        }
    }

    /// <summary>Inserts one event unless already stored; a new one is also counted in its rollup and, for a
    /// guide event, its guide step state.</summary>
    private int InsertEvent(StoredEvent e)
    {
        var (urlId, elementId, trackId) = (Intern(DictionaryKind.Url, e.Url), Intern(DictionaryKind.ElementPath, e.ElementPath), Intern(DictionaryKind.TrackName, e.TrackName));
        var insert = _insertEvent;
        var identity = EventIdentity.Of(e);
        insert.Bind(1, e.SubscriptionId);
        insert.Bind(2, e.ApplicationId);
        insert.Bind(3, identity);
        insert.Bind(4, e.Type);
        insert.Bind(5, (long)e.Source);
        insert.Bind(6, e.BrowserTime);
        insert.Bind(7, e.ServerTime);
        insert.Bind(8, e.VisitorId);
        insert.Bind(9, e.AccountId);
        insert.Bind(10, e.SessionId);
        insert.Bind(11, e.TabId);
        insert.Bind(12, e.FrameId);
        insert.Bind(13, e.Sequence);
        insert.Bind(14, urlId);
        insert.Bind(15, Intern(DictionaryKind.Title, e.Title));
        insert.Bind(16, elementId);
        insert.Bind(17, trackId);
        insert.Bind(18, e.Properties);
        insert.Bind(19, e.RemoteIp);
        var userAgentId = InternUserAgent(e);
        insert.Bind(20, userAgentId);
        insert.Bind(21, e.Language);
        var stored = insert.Execute();
        if (stored == 1)
        {
            _rollups.Add(e, urlId, elementId, trackId);
            _guideStates.Add(e, identity);
        }
        See(EntityKind.Visitor, e.VisitorId, e, urlId, userAgentId);
        if (e.AccountId is not null)
        {
            See(EntityKind.Account, e.AccountId, e, urlId, userAgentId);
            if (e.AccountId.Length > 0) _visitorAccounts.Add((e.SubscriptionId, e.VisitorId, e.AccountId));
        }
        return stored;
    }

    private void See(EntityKind kind, string id, StoredEvent e, long? urlId, long? userAgentId)
    {
        var key = (e.SubscriptionId, kind, id);
        var latest = new Sighting(e.BrowserTime, e.BrowserTime, e.ApplicationId, urlId, userAgentId, e.RemoteIp, e.Language);
        if (!_sightings.TryGetValue(key, out var known)) _sightings[key] = latest;
        else _sightings[key] = (latest.Last >= known.Last ? latest : known) with { First = Math.Min(known.First, latest.First) };
    }

    private void UpsertEntity((long Subscription, EntityKind Kind, string Id) key, Sighting sighting)
    {
        var upsert = _upsertEntity;
        upsert.Bind(1, key.Subscription);
        upsert.Bind(2, (long)key.Kind);
        upsert.Bind(3, key.Id);
        upsert.Bind(4, sighting.First);
        upsert.Bind(5, sighting.Last);
        upsert.Bind(6, sighting.App);
        upsert.Bind(7, sighting.UrlId);
        upsert.Bind(8, sighting.UserAgentId);
        upsert.Bind(9, sighting.Ip);
        upsert.Bind(10, sighting.Language);
        upsert.Execute();
    }

    private long? Intern(DictionaryKind kind, string? value)
    {
        if (value is null) return null;
        var key = (kind, value);
        if (_strings.TryGetValue(key, out var id) || _pendingStrings.TryGetValue(key, out id)) return id;
        _internString.Parameters[0].Value = (long)kind;
        _internString.Parameters[1].Value = value;
        id = (long)_internString.ExecuteScalar()!;
        _pendingStrings[key] = id;
        return id;
    }

    private long? InternUserAgent(StoredEvent e)
    {
        if (e.UserAgent is null) return null;
        if (_userAgents.TryGetValue(e.UserAgent, out var id) || _pendingUserAgents.TryGetValue(e.UserAgent, out id)) return id;
        var p = _internUserAgent.Parameters;
        p[0].Value = e.UserAgent;
        p[1].Value = Nullable(e.Browser);
        p[2].Value = Nullable(e.BrowserVersion);
        p[3].Value = Nullable(e.Os);
        p[4].Value = Nullable(e.Device);
        id = (long)_internUserAgent.ExecuteScalar()!;
        _pendingUserAgents[e.UserAgent] = id;
        return id;
    }

    private void KeepPendingIds()
    {
        if (_strings.Count + _pendingStrings.Count > MaxCachedStrings) _strings.Clear();
        foreach (var (key, id) in _pendingStrings) _strings[key] = id;
        if (_userAgents.Count + _pendingUserAgents.Count > MaxCachedStrings) _userAgents.Clear();
        foreach (var (key, id) in _pendingUserAgents) _userAgents[key] = id;
        _pendingStrings.Clear();
        _pendingUserAgents.Clear();
    }

    /// <summary>When a batch first and last shows a visitor or account, and what its latest event there showed.</summary>
    private readonly record struct Sighting(long First, long Last, long App, long? UrlId, long? UserAgentId, string? Ip, string? Language);

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private static void Execute(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    // Microsoft.Data.Sqlite prepares a command on first use and keeps the statement for later runs.
    private SqliteCommand Command(string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter("$" + i, null));
        return command;
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _upsertEntity.Dispose();
        _rollups.Dispose();
        _guideStates.Dispose();
        foreach (var command in new[] { _internString, _internUserAgent, _upsertMetadata, _upsertLink })
            command.Dispose();
    }
}

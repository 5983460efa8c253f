using Guidepost.Core.Events;
using Guidepost.Core.Guides;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>The queries that read the store, each on a connection of the caller's.</summary>
internal static class SqliteEventReader
{
    /// <summary>The next row, or false at the end. Microsoft.Data.Sqlite reads synchronously anyway; reading
    /// without ReadAsync saves a task per row (a third of the time of a short list).</summary>
    public static bool ReadRow(this SqliteDataReader reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return reader.Read();
    }

    /// <summary>An application's events in a time range, in time order. Dictionary and user-agent ids come
    /// back as ids: <see cref="ScanLookups"/> turns each into text once per scan rather than once per row.</summary>
    public static SqliteCommand Scan(SqliteConnection connection, EventScan scan)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.subscription_id, e.app_id, e.type, e.source, e.browser_time, e.server_time, e.visitor_id, e.account_id,
                e.session_id, e.tab_id, e.frame_id, e.sequence, e.url_id, e.title_id, e.element_id, e.track_id, e.properties,
                e.remote_ip, e.user_agent_id, e.language
            FROM events e
            WHERE e.app_id = $app AND e.subscription_id = $subscription AND e.browser_time >= $from AND e.browser_time < $to
            ORDER BY e.browser_time, e.identity;
            """;
        command.Parameters.AddWithValue("$app", scan.ApplicationId);
        command.Parameters.AddWithValue("$subscription", scan.SubscriptionId);
        command.Parameters.AddWithValue("$from", scan.FromMs);
        command.Parameters.AddWithValue("$to", scan.ToMs);
        return command;
    }

    /// <summary>One scanned event; a column not in <paramref name="fields"/> is not read (SQLite decodes a column
    /// only when asked, and each text read is a string to allocate).</summary>
    public static StoredEvent ReadEvent(SqliteDataReader r, ScanLookups lookups, EventFields fields)
    {
        bool Wants(EventFields field) => (fields & field) != 0;
        var agent = Wants(EventFields.UserAgent) ? lookups.Agent(r, 18) : null;
        return new()
        {
            SubscriptionId = r.GetInt64(0),
            ApplicationId = r.GetInt64(1),
            Type = r.GetString(2),
            Source = (EventSource)r.GetInt64(3),
            BrowserTime = r.GetInt64(4),
            ServerTime = r.GetInt64(5),
            VisitorId = r.GetString(6),
            AccountId = Wants(EventFields.Account) ? Text(r, 7) : null,
            SessionId = Wants(EventFields.Session) ? Text(r, 8) : null,
            TabId = Wants(EventFields.Tab) ? Text(r, 9) : null,
            FrameId = Wants(EventFields.Frame) ? Text(r, 10) : null,
            Sequence = r.IsDBNull(11) ? null : r.GetInt64(11),
            Url = Wants(EventFields.Url) ? lookups.Word(r, 12) : null,
            Title = Wants(EventFields.Title) ? lookups.Word(r, 13) : null,
            ElementPath = Wants(EventFields.ElementPath) ? lookups.Word(r, 14) : null,
            TrackName = Wants(EventFields.TrackName) ? lookups.Word(r, 15) : null,
            Properties = Wants(EventFields.Properties) ? Text(r, 16) : null,
            RemoteIp = Wants(EventFields.RemoteIp) ? Text(r, 17) : null,
            UserAgent = agent?.Value,
            Browser = agent?.Browser,
            BrowserVersion = agent?.BrowserVersion,
            Os = agent?.Os,
            Device = agent?.Device,
            Language = Wants(EventFields.Language) ? Text(r, 19) : null,
        };
    }

    internal sealed record UserAgent(string Value, string? Browser, string? BrowserVersion, string? Os, string? Device);

    /// <summary>The text behind dictionary and user-agent ids, looked up on the scan's connection the first
    /// time an id appears; scans read the same few URLs, element paths and user agents over and over.</summary>
    internal sealed class ScanLookups(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<long, string> _words = [];
        private readonly Dictionary<long, UserAgent> _agents = [];
        private SqliteCommand? _word;
        private SqliteCommand? _agent;

        public string? Word(SqliteDataReader r, int ordinal)
        {
            if (r.IsDBNull(ordinal)) return null;
            var id = r.GetInt64(ordinal);
            if (_words.TryGetValue(id, out var word)) return word;
            _word ??= Lookup("SELECT value FROM dictionary WHERE id = $id;");
            _word.Parameters[0].Value = id;
            return _words[id] = (string)_word.ExecuteScalar()!;
        }

        public UserAgent? Agent(SqliteDataReader r, int ordinal)
        {
            if (r.IsDBNull(ordinal)) return null;
            var id = r.GetInt64(ordinal);
            if (_agents.TryGetValue(id, out var agent)) return agent;
            _agent ??= Lookup("SELECT value, browser, browser_version, os, device FROM user_agents WHERE id = $id;");
            _agent.Parameters[0].Value = id;
            using var found = _agent.ExecuteReader();
            found.Read();
            return _agents[id] = new UserAgent(found.GetString(0), Text(found, 1), Text(found, 2), Text(found, 3), Text(found, 4));
        }

        private SqliteCommand Lookup(string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$id", SqliteType.Integer);
            return command;
        }

        public void Dispose()
        {
            _word?.Dispose();
            _agent?.Dispose();
        }
    }

    public static SqliteCommand ScanRollups(SqliteConnection connection, EventScan scan)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.subscription_id, r.app_id, r.hour, r.kind, sig.value, url.value, r.visitor_id, r.account_id,
                r.events_q0, r.events_q1, r.events_q2, r.events_q3, r.minutes
            FROM rollups r
            LEFT JOIN dictionary sig ON sig.id = r.signature_id
            LEFT JOIN dictionary url ON url.id = r.url_id
            WHERE r.app_id = $app AND r.subscription_id = $subscription AND r.hour >= $from AND r.hour < $to
            ORDER BY r.hour, r.kind, r.signature_id, r.url_id, r.visitor_id, r.account_id;
            """;
        command.Parameters.AddWithValue("$app", scan.ApplicationId);
        command.Parameters.AddWithValue("$subscription", scan.SubscriptionId);
        command.Parameters.AddWithValue("$from", scan.FromMs / 3_600_000);
        command.Parameters.AddWithValue("$to", scan.ToMs / 3_600_000);
        return command;
    }

    public static Rollup ReadRollup(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), (RollupKind)r.GetInt64(3), Text(r, 4), Text(r, 5), r.GetString(6),
        r.GetString(7) is { Length: > 0 } account ? account : null,
        r.GetInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), (ulong)r.GetInt64(12));

    public static SqliteCommand ListSignatures(SqliteConnection connection, long subscriptionId, long applicationId, RollupKind kind, long afterSequence)
    {
        // Signatures are per application; the subscription check keeps a wrong pairing from reading anything.
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.id, s.value_id, d.value FROM signatures s JOIN dictionary d ON d.id = s.value_id
            WHERE s.app_id = $app AND s.kind = $kind AND s.id > $after
                AND EXISTS (SELECT 1 FROM rollups r WHERE r.app_id = $app AND r.subscription_id = $subscription LIMIT 1)
            ORDER BY s.id;
            """;
        command.Parameters.AddWithValue("$app", applicationId);
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$kind", (long)kind);
        command.Parameters.AddWithValue("$after", afterSequence);
        return command;
    }

    /// <summary>Entities, their metadata rows and (for visitors) their accounts in one stream, in id order.</summary>
    public static SqliteCommand ListEntities(SqliteConnection connection, long subscriptionId, EntityKind kind, string? afterId)
    {
        var command = connection.CreateCommand();
        // Ordered by id alone, the primary-key scans merge as they go: no sort, so a page of a large list reads
        // only its own rows. An entity's rows come together, in no set order among themselves.
        command.CommandText = """
            SELECT entity_id, first_seen, last_seen, NULL, NULL, NULL FROM entities WHERE subscription_id = $s AND kind = $k AND entity_id > $after
            UNION ALL
            SELECT entity_id, NULL, NULL, grp, field, value FROM metadata WHERE subscription_id = $s AND kind = $k AND entity_id > $after
            UNION ALL
            SELECT visitor_id, NULL, NULL, NULL, account_id, NULL FROM visitor_accounts WHERE subscription_id = $s AND $k = 0 AND visitor_id > $after
            ORDER BY 1;
            """;
        command.Parameters.AddWithValue("$s", subscriptionId);
        command.Parameters.AddWithValue("$k", (long)kind);
        command.Parameters.AddWithValue("$after", afterId ?? "");
        return command;
    }

    public static async Task<EntityRecord?> FindEntityAsync(
        SqliteConnection connection, long subscriptionId, EntityKind kind, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.first_seen, e.last_seen, e.last_app_id, url.value, ua.value, ua.browser, ua.browser_version, ua.os, e.last_ip, e.last_language
            FROM entities e
            LEFT JOIN dictionary url ON url.id = e.last_url_id
            LEFT JOIN user_agents ua ON ua.id = e.last_user_agent_id
            WHERE e.subscription_id = $s AND e.kind = $k AND e.entity_id = $id;
            SELECT grp, field, value FROM metadata WHERE subscription_id = $s AND kind = $k AND entity_id = $id ORDER BY grp, field;
            SELECT account_id FROM visitor_accounts WHERE subscription_id = $s AND $k = 0 AND visitor_id = $id ORDER BY account_id;
            """;
        command.Parameters.AddWithValue("$s", subscriptionId);
        command.Parameters.AddWithValue("$k", (long)kind);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        long? first = null, last = null;
        LastSeenWith? context = null;
        if (reader.ReadRow(cancellationToken))
        {
            (first, last) = (reader.GetInt64(0), reader.GetInt64(1));
            context = new LastSeenWith(reader.IsDBNull(2) ? null : reader.GetInt64(2), Text(reader, 3), Text(reader, 4), Text(reader, 5),
                Text(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9));
        }
        await reader.NextResultAsync(cancellationToken);
        var metadata = new Dictionary<string, Dictionary<string, string>>();
        while (reader.ReadRow(cancellationToken))
        {
            var group = reader.GetString(0);
            if (!metadata.TryGetValue(group, out var fields)) metadata[group] = fields = [];
            fields[reader.GetString(1)] = reader.GetString(2);
        }
        await reader.NextResultAsync(cancellationToken);
        var accounts = new List<string>();
        while (reader.ReadRow(cancellationToken)) accounts.Add(reader.GetString(0));
        if (first is null && metadata.Count == 0) return null;
        return new EntityRecord(kind, id, first, last, context,
            metadata.ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.Value), accounts);
    }

    public static async Task<Dictionary<string, string>> LinksAsync(SqliteConnection connection, long subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT anonymous_id, visitor_id FROM identity_links WHERE subscription_id = $s;";
        command.Parameters.AddWithValue("$s", subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadRow(cancellationToken)) links[reader.GetString(0)] = reader.GetString(1);
        return links;
    }

    public static async Task<string?> FindIdentifiedVisitorAsync(
        SqliteConnection connection, long subscriptionId, string anonymousVisitorId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT visitor_id FROM identity_links WHERE subscription_id = $s AND anonymous_id = $a;";
        command.Parameters.AddWithValue("$s", subscriptionId);
        command.Parameters.AddWithValue("$a", anonymousVisitorId);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>The visitor's guide step states: its own rows and those of the anonymous ids linked to it, merged
    /// per step (the latest event decides, as the writer orders them; dismissals add up), in guide and step order.</summary>
    public static async Task<IReadOnlyList<GuideStepState>> ListGuideStatesAsync(
        SqliteConnection connection, long subscriptionId, string visitorId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT guide_id, step_id, state, seen_reason, time, identity, dismiss_count, snooze_end_time, destination_step_id
            FROM guide_states
            WHERE subscription_id = $s
                AND visitor_id IN (SELECT $v UNION ALL SELECT anonymous_id FROM identity_links WHERE subscription_id = $s AND visitor_id = $v)
            ORDER BY guide_id, step_id;
            """;
        command.Parameters.AddWithValue("$s", subscriptionId);
        command.Parameters.AddWithValue("$v", visitorId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<GuideStepState>();
        var keptIdentity = 0L;
        while (reader.ReadRow(cancellationToken))
        {
            var row = new GuideStepState(reader.GetString(0), reader.GetString(1), (GuideSeenState)reader.GetInt64(2), Text(reader, 3),
                reader.GetInt64(4), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), Text(reader, 8));
            var identity = reader.GetInt64(5);
            // Rows of one step come together, one per visitor id.
            if (states.Count > 0 && states[^1] is var kept && kept.GuideId == row.GuideId && kept.StepId == row.StepId)
            {
                var count = kept.DismissCount + row.DismissCount;
                if (Order(row, identity).CompareTo(Order(kept, keptIdentity)) > 0) (kept, keptIdentity) = (row, identity);
                states[^1] = kept with { DismissCount = count };
                continue;
            }
            states.Add(row);
            keptIdentity = identity;
        }
        return states;
    }

    private static (long, bool, long) Order(GuideStepState state, long identity) =>
        (state.Time, state.State is GuideSeenState.Advanced or GuideSeenState.Dismissed or GuideSeenState.Snoozed, identity);

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>The event store's versioned schema (PRAGMA user_version).</summary>
/// <remarks>Repeated strings (URLs, element paths, track names, titles, user agents) are stored once in
/// dictionaries and referenced by id: events stay small, and tagging works per distinct string.</remarks>
internal static class SqliteEventSchema
{
    // Each entry moves the file from version i to i + 1; never edit one that has shipped.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE dictionary (
            id INTEGER PRIMARY KEY,
            kind INTEGER NOT NULL,
            value TEXT NOT NULL,
            UNIQUE (kind, value)
        ) STRICT;

        CREATE TABLE user_agents (
            id INTEGER PRIMARY KEY,
            value TEXT NOT NULL UNIQUE,
            browser TEXT,
            browser_version TEXT,
            os TEXT,
            device TEXT
        ) STRICT;

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL,
            app_id INTEGER NOT NULL,
            identity INTEGER NOT NULL,
            type TEXT NOT NULL,
            source INTEGER NOT NULL,
            browser_time INTEGER NOT NULL,
            server_time INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT,
            session_id TEXT,
            tab_id TEXT,
            frame_id TEXT,
            sequence INTEGER,
            url_id INTEGER,
            title_id INTEGER,
            element_id INTEGER,
            track_id INTEGER,
            properties TEXT,
            remote_ip TEXT,
            user_agent_id INTEGER,
            language TEXT
        ) STRICT;
        -- One index serves both time-range scans and de-duplication; events arrive roughly in time order,
        -- so it grows at its end instead of being written at random.
        CREATE UNIQUE INDEX events_by_app_time ON events (app_id, browser_time, identity);

        CREATE TABLE entities (
            subscription_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, kind, entity_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE metadata (
            subscription_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            grp TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, kind, entity_id, grp, field)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE identity_links (
            subscription_id INTEGER NOT NULL,
            anonymous_id TEXT NOT NULL,
            visitor_id TEXT NOT NULL,
            linked_at INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, anonymous_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE agent_diagnostics (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL,
            app_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            visitor_id TEXT,
            version TEXT,
            received_at INTEGER NOT NULL
        ) STRICT;
        """,
        """
        -- The distinct URLs, element paths and track names each application has seen: what tagging matches
        -- rules against, so a rule's cost follows the number of distinct strings, not of events.
        CREATE TABLE signatures (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            value_id INTEGER NOT NULL,
            UNIQUE (app_id, kind, value_id)
        ) STRICT;

        -- Events rolled up per application, UTC hour, kind, signature, URL, visitor and account. Counts are
        -- kept per quarter hour so days in any time zone (all offsets are whole quarter hours) add up
        -- exactly; minutes is the bit set of minutes with at least one event, so time spent stays exact
        -- when rows are combined with bitwise OR across pages, tabs and kinds.
        CREATE TABLE rollups (
            app_id INTEGER NOT NULL,
            hour INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            signature_id INTEGER NOT NULL,
            url_id INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL,
            events_q0 INTEGER NOT NULL,
            events_q1 INTEGER NOT NULL,
            events_q2 INTEGER NOT NULL,
            events_q3 INTEGER NOT NULL,
            minutes INTEGER NOT NULL,
            PRIMARY KEY (app_id, hour, kind, signature_id, url_id, visitor_id, account_id)
        ) STRICT, WITHOUT ROWID;
        """,
        """
        -- Rollups keyed by kind before hour: a tag's usage reads one kind's rows of its hours, and new rows
        -- still land at the end of each kind's range (a secondary index by signature or visitor would take
        -- random writes on every commit and halve ingest throughput).
        CREATE TABLE rollups_by_kind (
            app_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            hour INTEGER NOT NULL,
            signature_id INTEGER NOT NULL,
            url_id INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL,
            events_q0 INTEGER NOT NULL,
            events_q1 INTEGER NOT NULL,
            events_q2 INTEGER NOT NULL,
            events_q3 INTEGER NOT NULL,
            minutes INTEGER NOT NULL,
            PRIMARY KEY (app_id, kind, hour, signature_id, url_id, visitor_id, account_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO rollups_by_kind SELECT app_id, kind, hour, signature_id, url_id, visitor_id, account_id, subscription_id,
            events_q0, events_q1, events_q2, events_q3, minutes FROM rollups;
        DROP TABLE rollups;
        ALTER TABLE rollups_by_kind RENAME TO rollups;
        CREATE INDEX identity_links_by_visitor ON identity_links (subscription_id, visitor_id);
        """,
        """
        -- What a visitor's or account's latest event showed (Pendo's "last browser", "last server", ...).
        ALTER TABLE entities ADD COLUMN last_app_id INTEGER;
        ALTER TABLE entities ADD COLUMN last_url_id INTEGER;
        ALTER TABLE entities ADD COLUMN last_user_agent_id INTEGER;
        ALTER TABLE entities ADD COLUMN last_ip TEXT;
        ALTER TABLE entities ADD COLUMN last_language TEXT;
        """,
        """
        -- Each visitor's hour in each account, all signatures and URLs together, with the counts and minutes
        -- of each kind side by side: what whole-application charts and per-visitor or per-account reports
        -- read (several times fewer rows than rollups, and one row per visitor-hour, so minutes of different
        -- kinds combine without a join). Filled from rollups once.
        CREATE TABLE activity (
            app_id INTEGER NOT NULL,
            hour INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL,
            load_q0 INTEGER NOT NULL,
            load_q1 INTEGER NOT NULL,
            load_q2 INTEGER NOT NULL,
            load_q3 INTEGER NOT NULL,
            click_q0 INTEGER NOT NULL,
            click_q1 INTEGER NOT NULL,
            click_q2 INTEGER NOT NULL,
            click_q3 INTEGER NOT NULL,
            track_q0 INTEGER NOT NULL,
            track_q1 INTEGER NOT NULL,
            track_q2 INTEGER NOT NULL,
            track_q3 INTEGER NOT NULL,
            other_q0 INTEGER NOT NULL,
            other_q1 INTEGER NOT NULL,
            other_q2 INTEGER NOT NULL,
            other_q3 INTEGER NOT NULL,
            load_minutes INTEGER NOT NULL,
            click_minutes INTEGER NOT NULL,
            track_minutes INTEGER NOT NULL,
            other_minutes INTEGER NOT NULL,
            PRIMARY KEY (app_id, hour, visitor_id, account_id)
        ) STRICT, WITHOUT ROWID;
        -- A visitor's accounts and hours (activity has several times fewer rows to index than rollups).
        CREATE INDEX activity_by_visitor ON activity (app_id, visitor_id, hour);
        INSERT INTO activity
        SELECT app_id, hour, visitor_id, account_id, subscription_id,
            sum(CASE kind WHEN 1 THEN events_q0 ELSE 0 END),
            sum(CASE kind WHEN 1 THEN events_q1 ELSE 0 END),
            sum(CASE kind WHEN 1 THEN events_q2 ELSE 0 END),
            sum(CASE kind WHEN 1 THEN events_q3 ELSE 0 END),
            sum(CASE kind WHEN 2 THEN events_q0 ELSE 0 END),
            sum(CASE kind WHEN 2 THEN events_q1 ELSE 0 END),
            sum(CASE kind WHEN 2 THEN events_q2 ELSE 0 END),
            sum(CASE kind WHEN 2 THEN events_q3 ELSE 0 END),
            sum(CASE kind WHEN 3 THEN events_q0 ELSE 0 END),
            sum(CASE kind WHEN 3 THEN events_q1 ELSE 0 END),
            sum(CASE kind WHEN 3 THEN events_q2 ELSE 0 END),
            sum(CASE kind WHEN 3 THEN events_q3 ELSE 0 END),
            sum(CASE kind WHEN 4 THEN events_q0 ELSE 0 END),
            sum(CASE kind WHEN 4 THEN events_q1 ELSE 0 END),
            sum(CASE kind WHEN 4 THEN events_q2 ELSE 0 END),
            sum(CASE kind WHEN 4 THEN events_q3 ELSE 0 END),
            bit_or(CASE kind WHEN 1 THEN minutes ELSE 0 END),
            bit_or(CASE kind WHEN 2 THEN minutes ELSE 0 END),
            bit_or(CASE kind WHEN 3 THEN minutes ELSE 0 END),
            bit_or(CASE kind WHEN 4 THEN minutes ELSE 0 END)
        FROM rollups GROUP BY app_id, hour, visitor_id, account_id;
        """,
        """
        -- The accounts each visitor's events named (Pendo's metadata.auto.accountids), kept under the raw id
        -- and under the visitor an anonymous id became. Filled from activity and identity links once.
        CREATE TABLE visitor_accounts (
            subscription_id INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            PRIMARY KEY (subscription_id, visitor_id, account_id)
        ) STRICT, WITHOUT ROWID;
        INSERT OR IGNORE INTO visitor_accounts SELECT DISTINCT subscription_id, visitor_id, account_id FROM activity WHERE account_id <> '';
        INSERT OR IGNORE INTO visitor_accounts
        SELECT a.subscription_id, l.visitor_id, a.account_id
        FROM visitor_accounts a JOIN identity_links l ON l.subscription_id = a.subscription_id AND l.anonymous_id = a.visitor_id;
        """,
        """
        -- Where each visitor stands with each guide step (state holds GuideSeenState's values: 0 active, 1 advanced,
        -- 2 dismissed, 3 snoozed, 4 not seen), what guide.json reads on every page load. The latest guide event
        -- decides (browser time, then an acting state over a seen one, then identity); dismissals are counted over
        -- all. SqliteGuideStateWriter keeps it; filled here from the stored guide events with the same rules.
        CREATE TABLE guide_states (
            subscription_id INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            state INTEGER NOT NULL,
            seen_reason TEXT,
            time INTEGER NOT NULL,
            identity INTEGER NOT NULL,
            snooze_end_time INTEGER,
            destination_step_id TEXT,
            dismiss_count INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, visitor_id, guide_id, step_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO guide_states
        SELECT subscription_id, visitor_id, guide_id, step_id, state, seen_reason, browser_time, identity,
            snooze_end_time, destination_step_id, dismiss_count
        FROM (
            SELECT *,
                row_number() OVER (PARTITION BY subscription_id, visitor_id, guide_id, step_id
                    ORDER BY browser_time DESC, state IN (1, 2, 3) DESC, identity DESC) AS latest,
                sum(state = 2) OVER (PARTITION BY subscription_id, visitor_id, guide_id, step_id) AS dismiss_count
            FROM (
                SELECT subscription_id, visitor_id, browser_time, identity, state,
                    iif(json_type(properties, '$.guide_id') = 'text', json_extract(properties, '$.guide_id'), NULL) AS guide_id,
                    iif(json_type(properties, '$.guide_step_id') = 'text', json_extract(properties, '$.guide_step_id'), NULL) AS step_id,
                    iif(json_type(properties, reason_path) = 'text', json_extract(properties, reason_path), NULL) AS seen_reason,
                    iif(state = 3, browser_time + min(
                        iif(json_type(properties, '$.snooze_duration') = 'integer'
                            AND typeof(json_extract(properties, '$.snooze_duration')) = 'integer',
                            json_extract(properties, '$.snooze_duration'), 86400000),
                        9223372036854775807 - browser_time), NULL) AS snooze_end_time,
                    iif(state = 1 AND json_type(properties, '$.destination_step_id') = 'text',
                        json_extract(properties, '$.destination_step_id'), NULL) AS destination_step_id
                FROM (
                    SELECT subscription_id, visitor_id, browser_time, identity, properties,
                        CASE type WHEN 'guideAdvanced' THEN 1 WHEN 'guideDismissed' THEN 2 WHEN 'guideSnoozed' THEN 3
                            WHEN 'guideNotSeen' THEN 4 ELSE 0 END AS state,
                        iif(type = 'guideSeen', '$.reason', '$.seen_reason') AS reason_path
                    FROM events
                    WHERE type IN ('guideSeen', 'guideSnoozeCanceled', 'guideAdvanced', 'guideDismissed', 'guideSnoozed', 'guideNotSeen')
                        AND json_valid(properties)))
            WHERE guide_id <> '' AND step_id <> '')
        WHERE latest = 1;
        """,
    ];

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken));
        if (current > Migrations.Length)
            throw new InvalidOperationException($"The event store file has schema version {current}, newer than this build knows ({Migrations.Length}).");

        for (var next = current; next < Migrations.Length; next++)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
            await step.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>What a <c>dictionary</c> row holds.</summary>
internal enum DictionaryKind
{
    Url = 1,
    Title = 2,
    ElementPath = 3,
    TrackName = 4,
}

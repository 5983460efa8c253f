using Guidepost.Core.Events;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>The events table: its versioned schema, and the statements that write and read it.</summary>
internal static class SqliteEventSchema
{
    // Each entry moves the file from version i to i + 1 (PRAGMA user_version); never edit a shipped one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL,
            app_id INTEGER NOT NULL,
            type TEXT NOT NULL,
            browser_time INTEGER NOT NULL,
            server_time INTEGER NOT NULL,
            visitor_id TEXT NOT NULL,
            account_id TEXT,
            session_id TEXT,
            tab_id TEXT,
            frame_id TEXT,
            sequence INTEGER,
            url TEXT,
            element_path TEXT,
            track_name TEXT,
            properties TEXT,
            remote_ip TEXT,
            user_agent TEXT,
            language TEXT
        ) STRICT;
        CREATE INDEX events_by_app_time ON events (app_id, browser_time);
        """,
    ];

    private const string Columns =
        "subscription_id, app_id, type, browser_time, server_time, visitor_id, account_id, session_id, tab_id, frame_id, " +
        "sequence, url, element_path, track_name, properties, remote_ip, user_agent, language";

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

    public static SqliteCommand CreateInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO events ({Columns}) VALUES (" +
            string.Join(", ", Enumerable.Range(0, ColumnCount).Select(i => "$p" + i)) + ");";
        for (var i = 0; i < ColumnCount; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
        command.Prepare();
        return command;
    }

    public static void Bind(SqliteCommand insert, StoredEvent e)
    {
        var p = insert.Parameters;
        p[0].Value = e.SubscriptionId;
        p[1].Value = e.ApplicationId;
        p[2].Value = e.Type;
        p[3].Value = e.BrowserTime;
        p[4].Value = e.ServerTime;
        p[5].Value = e.VisitorId;
        p[6].Value = (object?)e.AccountId ?? DBNull.Value;
        p[7].Value = (object?)e.SessionId ?? DBNull.Value;
        p[8].Value = (object?)e.TabId ?? DBNull.Value;
        p[9].Value = (object?)e.FrameId ?? DBNull.Value;
        p[10].Value = (object?)e.Sequence ?? DBNull.Value;
        p[11].Value = (object?)e.Url ?? DBNull.Value;
        p[12].Value = (object?)e.ElementPath ?? DBNull.Value;
        p[13].Value = (object?)e.TrackName ?? DBNull.Value;
        p[14].Value = (object?)e.Properties ?? DBNull.Value;
        p[15].Value = (object?)e.RemoteIp ?? DBNull.Value;
        p[16].Value = (object?)e.UserAgent ?? DBNull.Value;
        p[17].Value = (object?)e.Language ?? DBNull.Value;
    }

    public static SqliteCommand CreateScan(SqliteConnection connection, EventScan scan)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM events
            WHERE app_id = $app AND subscription_id = $subscription AND browser_time >= $from AND browser_time < $to
            ORDER BY browser_time, id;
            """;
        command.Parameters.AddWithValue("$app", scan.ApplicationId);
        command.Parameters.AddWithValue("$subscription", scan.SubscriptionId);
        command.Parameters.AddWithValue("$from", scan.FromMs);
        command.Parameters.AddWithValue("$to", scan.ToMs);
        return command;
    }

    public static StoredEvent Read(SqliteDataReader r) => new()
    {
        SubscriptionId = r.GetInt64(0),
        ApplicationId = r.GetInt64(1),
        Type = r.GetString(2),
        BrowserTime = r.GetInt64(3),
        ServerTime = r.GetInt64(4),
        VisitorId = r.GetString(5),
        AccountId = NullableString(r, 6),
        SessionId = NullableString(r, 7),
        TabId = NullableString(r, 8),
        FrameId = NullableString(r, 9),
        Sequence = r.IsDBNull(10) ? null : r.GetInt64(10),
        Url = NullableString(r, 11),
        ElementPath = NullableString(r, 12),
        TrackName = NullableString(r, 13),
        Properties = NullableString(r, 14),
        RemoteIp = NullableString(r, 15),
        UserAgent = NullableString(r, 16),
        Language = NullableString(r, 17),
    };

    private const int ColumnCount = 18;

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

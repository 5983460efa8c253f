using Guidepost.Core.Events;
using Guidepost.Core.Guides;
using Guidepost.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Tests;

public sealed class SqliteEventStoreTests : EventStoreContract, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "guidepost-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteEventStore> _opened = [];

    protected override string NewStorage() => Path.Combine(_folder, Guid.NewGuid().ToString("N"), "events.db");

    protected override async Task<IEventStore> OpenAsync(string storage)
    {
        var store = new SqliteEventStore(storage);
        await store.InitializeAsync(CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_and_at_the_current_schema_version()
    {
        var path = NewStorage();
        await OpenAsync(path);

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        (await ScalarAsync(connection, "PRAGMA journal_mode;")).ShouldBe("wal");
        Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_file_from_a_newer_build_is_refused()
    {
        var path = NewStorage();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, "PRAGMA user_version = 999;");
        }

        var store = new SqliteEventStore(path);
        _opened.Add(store);
        (await Should.ThrowAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None))).Message.ShouldContain("999");
    }

    [Fact]
    public async Task A_store_from_before_the_activity_table_gets_it_filled_from_its_rollups()
    {
        var path = NewStorage();
        var events = QueryableEvents();
        var store = (SqliteEventStore)await OpenAsync(path);
        await AppendQueryableAsync(store, events);
        await store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, "DROP TABLE activity; DROP TABLE visitor_accounts; DROP TABLE guide_states; PRAGMA user_version = 4;");
        }

        await QueriesShouldMatchRecountAsync(await OpenAsync(path), events);
    }

    [Fact]
    public async Task A_store_from_before_visitor_accounts_gets_them_from_its_activity_and_links()
    {
        var path = NewStorage();
        var store = (SqliteEventStore)await OpenAsync(path);
        var events = await AppendWithLateAnonymousEventAsync(store);
        await store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, "DROP TABLE visitor_accounts; DROP TABLE guide_states; PRAGMA user_version = 5;");
        }

        await VisitorsShouldListTheirAccountsAsync(await OpenAsync(path), events);
    }

    [Fact]
    public async Task A_store_from_before_guide_states_gets_them_from_its_guide_events_as_the_writer_keeps_them()
    {
        var path = NewStorage();
        var (events, links) = GuideEvents();
        // Props the agent would not send, read alike by the writer and the migration.
        StoredEvent Odd(string type, long time, string? properties) => GuideEvent(1, "odd", type, time, null) with { Properties = properties };
        events.AddRange([
            Odd("guideSnoozed", 1, """{"guide_id":"g","guide_step_id":"text-duration","snooze_duration":"3600"}"""),
            Odd("guideSnoozed", 2, """{"guide_id":"g","guide_step_id":"real-duration","snooze_duration":1.5}"""),
            Odd("guideSnoozed", 3, """{"guide_id":"g","guide_step_id":"huge-duration","snooze_duration":99999999999999999999}"""),
            Odd("guideSnoozed", 4, """{"guide_id":"g","guide_step_id":"long-duration","snooze_duration":9223372036854775807}"""),
            Odd("guideSnoozed", 5, """{"guide_id":"g","guide_step_id":"negative-duration","snooze_duration":-5}"""),
            Odd("guideSeen", 6, """{"guide_id":"g","guide_id":"second","guide_step_id":"repeated-key","reason":7,"reason":"auto"}"""),
            Odd("guideAdvanced", 7, """{"guide_id":"g","guide_step_id":"number-destination","destination_step_id":7,"seen_reason":{"a":1}}"""),
            Odd("guideSeen", 8, """{"guide_id":5,"guide_step_id":"number-guide"}"""),
            Odd("guideSeen", 9, """{"guide_id":{"id":"g"},"guide_step_id":"object-guide"}"""),
            Odd("guideSeen", 10, """{"guide_id":"","guide_step_id":"empty-guide"}"""),
            Odd("guideSeen", 11, "not json"),
            Odd("guideSeen", 12, "[1,2]"),
            Odd("guideSeen", 13, null),
        ]);
        var store = (SqliteEventStore)await OpenAsync(path);
        await AppendGuideEventsAsync(store, events, links);
        var written = await GuideStateRowsAsync(path);
        await store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, "DROP TABLE guide_states; PRAGMA user_version = 6;");
        }

        var migrated = await OpenAsync(path);
        (await GuideStateRowsAsync(path)).ShouldBe(written);
        written.Count.ShouldBeGreaterThan(70);
        (await migrated.ListGuideStatesAsync(1, "alice", CancellationToken.None)).OrderBy(s => s.GuideId, StringComparer.Ordinal).ThenBy(s => s.StepId, StringComparer.Ordinal).ShouldBe(ExpectedGuideStates(events, links, 1, "alice"));
        (await migrated.ListGuideStatesAsync(1, "odd", CancellationToken.None)).OrderBy(s => s.StepId, StringComparer.Ordinal).Select(s => (s.GuideId, s.StepId, s.State, s.SeenReason, s.SnoozeEndTime, s.DestinationStepId)).ShouldBe([
            ("g", "huge-duration", GuideSeenState.Snoozed, null, 3 + 86_400_000, null),
            ("g", "long-duration", GuideSeenState.Snoozed, null, long.MaxValue, null),
            ("g", "negative-duration", GuideSeenState.Snoozed, null, 0, null),
            ("g", "number-destination", GuideSeenState.Advanced, null, null, null),
            ("g", "real-duration", GuideSeenState.Snoozed, null, 2 + 86_400_000, null),
            ("g", "repeated-key", GuideSeenState.Active, null, null, null),
            ("g", "text-duration", GuideSeenState.Snoozed, null, 1 + 86_400_000, null),
        ]);
    }

    /// <summary>Every guide_states row, every column, in key order.</summary>
    private static async Task<List<string>> GuideStateRowsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM guide_states ORDER BY subscription_id, visitor_id, guide_id, step_id;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : $"{reader.GetFieldType(i).Name}:{reader.GetValue(i)}")));
        return rows;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

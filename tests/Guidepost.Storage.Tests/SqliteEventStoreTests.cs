using Guidepost.Core.Events;
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
            await ScalarAsync(connection, "DROP TABLE activity; DROP TABLE visitor_accounts; PRAGMA user_version = 4;");
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
            await ScalarAsync(connection, "DROP TABLE visitor_accounts; PRAGMA user_version = 5;");
        }

        await VisitorsShouldListTheirAccountsAsync(await OpenAsync(path), events);
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

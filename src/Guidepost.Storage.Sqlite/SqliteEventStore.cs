using System.Runtime.CompilerServices;
using Guidepost.Core.Events;
using Guidepost.Core.Guides;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>The embedded event store: one SQLite file in WAL mode. A single connection writes, guarded
/// by a lock (SQLite has one writer at a time anyway); reads use their own pooled connections and never
/// wait for the writer.</summary>
public sealed class SqliteEventStore : IEventStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly bool _synchronousFull;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteBatchWriter? _batchWriter;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (long Version, IReadOnlyDictionary<string, string> Links)> _links = new();
    private long _linksVersion;

    /// <param name="path">The database file; created with its folder when missing.</param>
    /// <param name="synchronousFull">FULL fsyncs every commit, so an acknowledged batch survives power
    /// loss too; NORMAL survives a process crash only.</param>
    public SqliteEventStore(string path, bool synchronousFull = true)
    {
        _path = Path.GetFullPath(path);
        _synchronousFull = synchronousFull;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();
    }

    /// <summary>Creates the file and brings its schema to the current version.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await SqliteEventSchema.MigrateAsync(await OpenWriterAsync(cancellationToken), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<AppendResult> AppendAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty) return default;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = await OpenWriterAsync(cancellationToken);
            _batchWriter ??= new SqliteBatchWriter(writer);
            // Runs to the end once started: a batch is either whole or absent, never cut by cancellation.
            var result = _batchWriter.Append(batch);
            if (batch.Links.Count > 0) Interlocked.Increment(ref _linksVersion);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async IAsyncEnumerable<StoredEvent> ScanAsync(EventScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var select = SqliteEventReader.Scan(connection, scan);
        using var lookups = new SqliteEventReader.ScanLookups(connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (reader.ReadRow(cancellationToken)) yield return SqliteEventReader.ReadEvent(reader, lookups, scan.Fields);
    }

    public async IAsyncEnumerable<Rollup> ScanRollupsAsync(EventScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var select = SqliteEventReader.ScanRollups(connection, scan);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (reader.ReadRow(cancellationToken)) yield return SqliteEventReader.ReadRollup(reader);
    }

    public async IAsyncEnumerable<Signature> ListSignaturesAsync(
        long subscriptionId, long applicationId, RollupKind kind, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var select = SqliteEventReader.ListSignatures(connection, subscriptionId, applicationId, kind, afterSequence);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (reader.ReadRow(cancellationToken)) yield return new Signature(reader.GetInt64(0), reader.GetInt64(1), kind, reader.GetString(2));
    }

    public async IAsyncEnumerable<RollupTotal> QueryRollupsAsync(RollupQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query.ApplicationIds.Count == 0) yield break;
        await using var connection = await OpenReaderAsync(cancellationToken);
        var links = query.VisitorId is null ? await LinksAsync(connection, query.SubscriptionId, cancellationToken) : new Dictionary<string, string>();
        await foreach (var total in SqliteRollupQuery.RunAsync(connection, query, links, cancellationToken)) yield return total;
    }

    /// <summary>A subscription's anonymous-to-identified links, read again only after a write added links.</summary>
    private async Task<IReadOnlyDictionary<string, string>> LinksAsync(SqliteConnection connection, long subscriptionId, CancellationToken cancellationToken)
    {
        var version = Volatile.Read(ref _linksVersion);
        if (_links.TryGetValue(subscriptionId, out var cached) && cached.Version == version) return cached.Links;
        var links = await SqliteEventReader.LinksAsync(connection, subscriptionId, cancellationToken);
        _links[subscriptionId] = (version, links);
        return links;
    }

    public async Task<EntityRecord?> FindEntityAsync(long subscriptionId, EntityKind kind, string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await SqliteEventReader.FindEntityAsync(connection, subscriptionId, kind, id, cancellationToken);
    }

    public async IAsyncEnumerable<EntityRecord> ListEntitiesAsync(long subscriptionId, EntityKind kind, string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var select = SqliteEventReader.ListEntities(connection, subscriptionId, kind, afterId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        // Rows of one id come together (the entity row, metadata rows and account rows in any order); a record goes
        // out when the id changes. Account rows arrive in account order.
        string? id = null;
        long? firstSeen = null, lastSeen = null;
        var groups = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var accounts = new List<string>();
        while (reader.ReadRow(cancellationToken))
        {
            var rowId = reader.GetString(0);
            if (id != rowId)
            {
                if (id is not null) yield return new EntityRecord(kind, id, firstSeen, lastSeen, null, groups, accounts);
                (id, firstSeen, lastSeen, groups, accounts) = (rowId, null, null, [], []);
            }
            if (!reader.IsDBNull(1)) (firstSeen, lastSeen) = (reader.GetInt64(1), reader.GetInt64(2));
            else if (reader.IsDBNull(3)) accounts.Add(reader.GetString(4));
            else
            {
                var group = reader.GetString(3);
                if (!groups.TryGetValue(group, out var fields)) groups[group] = fields = new Dictionary<string, string>();
                ((Dictionary<string, string>)fields)[reader.GetString(4)] = reader.GetString(5);
            }
        }
        if (id is not null) yield return new EntityRecord(kind, id, firstSeen, lastSeen, null, groups, accounts);
    }

    public async Task<string?> FindIdentifiedVisitorAsync(long subscriptionId, string anonymousVisitorId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await SqliteEventReader.FindIdentifiedVisitorAsync(connection, subscriptionId, anonymousVisitorId, cancellationToken);
    }

    public async Task<IReadOnlyList<GuideStepState>> ListGuideStatesAsync(long subscriptionId, string visitorId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await SqliteEventReader.ListGuideStatesAsync(connection, subscriptionId, visitorId, cancellationToken);
    }

    public async Task AppendDiagnosticAsync(AgentDiagnostic diagnostic, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var insert = (await OpenWriterAsync(cancellationToken)).CreateCommand();
            insert.CommandText = """
                INSERT INTO agent_diagnostics (subscription_id, app_id, kind, message, visitor_id, version, received_at)
                VALUES ($s, $a, $k, $m, $v, $ver, $t);
                """;
            insert.Parameters.AddWithValue("$s", diagnostic.SubscriptionId);
            insert.Parameters.AddWithValue("$a", diagnostic.ApplicationId);
            insert.Parameters.AddWithValue("$k", diagnostic.Kind);
            insert.Parameters.AddWithValue("$m", diagnostic.Message);
            insert.Parameters.AddWithValue("$v", (object?)diagnostic.VisitorId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$ver", (object?)diagnostic.Version ?? DBNull.Value);
            insert.Parameters.AddWithValue("$t", diagnostic.ReceivedAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoreStatus> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            return new StoreStatus(true, "sqlite", $"{_path} (journal {mode})");
        }
        catch (SqliteException e)
        {
            return new StoreStatus(false, "sqlite", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _batchWriter?.Dispose();
            _batchWriter = null;
            if (_writer is not null) await _writer.DisposeAsync();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    // Minute bit sets combine with OR; SQLite has no such aggregate of its own. Migrations use it.
    internal static void AddFunctions(SqliteConnection connection) =>
        connection.CreateAggregate("bit_or", 0L, (long all, long minutes) => all | minutes, isDeterministic: true);

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null) return _writer;
        // The writer is not pooled: it lives as long as the store and owns the file's write side.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        AddFunctions(connection);
        await using (var pragma = connection.CreateCommand())
        {
            // A 64 MB page cache keeps the hot end of the time index in memory between commits.
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(_synchronousFull ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return _writer = connection;
    }
}

using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guidepost.Storage.Sqlite;

/// <summary>A statement prepared once and run many times through SQLite's C API directly. The event
/// insert runs once per event; Microsoft.Data.Sqlite's per-execution bookkeeping (statement iteration,
/// parameter lookup by name, type dispatch) costs as much as SQLite's own work there.</summary>
/// <remarks>Runs on the connection's handle, so it joins the connection's current transaction.</remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes, so the pooled buffer can go back at once.
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(value, buffer);
            Check(raw.sqlite3_bind_text(_statement, index, buffer.AsSpan(0, written)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Runs the statement to completion and resets it; returns the rows it changed.</summary>
    public int Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW) Check(result);
        return raw.sqlite3_changes(_db);
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
    }

    public void Dispose() => _statement.Dispose();
}

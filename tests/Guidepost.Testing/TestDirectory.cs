using Microsoft.Data.Sqlite;

namespace Guidepost.Testing;

/// <summary>A fresh, empty folder for one test's data, deleted afterwards.</summary>
public sealed class TestDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "guidepost-tests", Guid.NewGuid().ToString("N"));

    public TestDirectory() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every byte of the files matching <paramref name="pattern"/> (a database with its -wal and
    /// -shm files), read after every pooled connection is closed, which may delete the -wal file.</summary>
    public byte[] ReadAllBytes(string pattern)
    {
        SqliteConnection.ClearAllPools();
        var bytes = new List<byte>();
        foreach (var file in Directory.GetFiles(Path, pattern))
        {
            try
            {
                bytes.AddRange(System.IO.File.ReadAllBytes(file));
            }
            catch (FileNotFoundException)
            {
                // Removed by the last connection's close between listing and reading.
            }
        }
        return [.. bytes];
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools(); // pooled connections would keep the files open
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a background thread; the OS temp cleaner takes it.
        }
    }
}

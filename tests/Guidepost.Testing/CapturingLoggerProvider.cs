using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Guidepost.Testing;

/// <summary>Keeps every log entry with its structured fields, so tests can check what the server logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, IReadOnlyDictionary<string, object?> Fields);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public async Task<Entry> WaitForAsync(Func<Entry, bool> match)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(20))
            if (_entries.FirstOrDefault(match) is { } found) return found;
        throw new TimeoutException("No matching log entry was written within 10 seconds.");
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                : new Dictionary<string, object?>();
            entries.Enqueue(new Entry(category, logLevel, fields));
        }
    }
}

using System.Collections.Concurrent;

namespace Guidepost.Ingestion.Normalize;

/// <summary>Parses each distinct User-Agent once; a site sees few distinct ones, so this stays small
/// and is simply emptied if it ever grows past its bound.</summary>
public sealed class UserAgentCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, ParsedUserAgent> _parsed = new();

    public ParsedUserAgent? Parse(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return null;
        if (_parsed.TryGetValue(userAgent, out var parsed)) return parsed;
        if (_parsed.Count >= MaxEntries) _parsed.Clear();
        return _parsed[userAgent] = UserAgentParser.Parse(userAgent);
    }
}

using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Guidepost.Core.Events;

/// <summary>The identity that makes a re-sent event a duplicate: a 64-bit hash, unique together with the
/// application and the browser time (so a collision would need two different events of one application in
/// the same millisecond with equal hashes). The agent re-sends whole payloads on
/// unload and on retry, and an event is the same when visitor, tab, frame, sequence, browser time and type
/// are. Track API events have no tab or sequence; an identical request body is a retry.</summary>
public static class EventIdentity
{
    public static long Of(StoredEvent e)
    {
        var hash = new XxHash64();
        Append(hash, e.Source == EventSource.Agent ? "a" : "t");
        Append(hash, e.VisitorId);
        Append(hash, e.Type);
        if (e.Source == EventSource.Agent)
        {
            Append(hash, e.TabId);
            Append(hash, e.FrameId);
            Append(hash, e.Sequence?.ToString());
            // Events without a sequence (guide events) are told apart by what they are about.
            if (e.Sequence is null) Append(hash, e.Properties);
        }
        else
        {
            Append(hash, e.AccountId);
            Append(hash, e.TrackName);
            Append(hash, e.Properties);
        }
        return (long)hash.GetCurrentHashAsUInt64();
    }

    // Length-prefixed, so ("ab","c") and ("a","bc") hash differently; null differs from "". The UTF-16
    // code units are hashed as they are: no encoding step, no allocation.
    private static void Append(XxHash64 hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        BitConverter.TryWriteBytes(length, value?.Length ?? -1);
        hash.Append(length);
        if (value is not null) hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}

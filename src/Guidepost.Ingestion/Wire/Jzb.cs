using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;

namespace Guidepost.Ingestion.Wire;

/// <summary>Pendo's <c>jzb</c> encoding: JSON, zlib-compressed (RFC 1950), base64url without padding.</summary>
public static class Jzb
{
    /// <summary>The inflated JSON bytes. Throws <see cref="PayloadException"/> for anything that is not
    /// jzb, and stops inflating at <paramref name="maxInflatedBytes"/> so a zip bomb costs nothing.</summary>
    public static byte[] Decode(ReadOnlySpan<char> jzb, int maxCompressedChars, int maxInflatedBytes)
    {
        if (jzb.IsEmpty) throw new PayloadException("jzb is empty.");
        if (jzb.Length > maxCompressedChars)
            throw new PayloadException($"jzb has {jzb.Length} characters; the limit is {maxCompressedChars}.");

        var compressed = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(jzb.Length));
        try
        {
            // Some senders use the standard alphabet or keep the padding; accept both.
            if (!TryDecodeBase64(jzb, compressed, out var length)) throw new PayloadException("jzb is not base64url.");
            return Inflate(new MemoryStream(compressed, 0, length, writable: false), maxInflatedBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>jzb for a JSON text; what agents send, used by tests and benchmarks.</summary>
    public static string Encode(ReadOnlySpan<byte> json)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(json);
        return Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static bool TryDecodeBase64(ReadOnlySpan<char> text, byte[] bytes, out int length)
    {
        try
        {
            if (Base64Url.TryDecodeFromChars(text, bytes, out length)) return true;
        }
        catch (FormatException)
        {
            // Not the URL-safe alphabet; the standard one may still fit.
        }
        return Convert.TryFromBase64Chars(text, bytes, out length);
    }

    private static byte[] Inflate(MemoryStream input, int maxInflatedBytes)
    {
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = zlib.Read(chunk)) > 0)
            {
                if (output.Length + read > maxInflatedBytes)
                    throw new PayloadException($"jzb inflates to more than {maxInflatedBytes} bytes.");
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new PayloadException("jzb is not zlib-compressed data.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (output.Length == 0) throw new PayloadException("jzb inflates to nothing.");
        return output.ToArray();
    }
}

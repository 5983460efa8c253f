namespace Guidepost.Ingestion;

/// <summary>The <c>Guidepost:Ingestion</c> settings: hard limits on what one request may carry, and the
/// size of the write queue.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Guidepost:Ingestion";

    /// <summary>The agent splits payloads at 64 KiB of jzb; this leaves room for other senders.</summary>
    public int MaxCompressedChars { get; set; } = 256 * 1024;

    /// <summary>Bounds a zip bomb: inflating stops past this many bytes.</summary>
    public int MaxInflatedBytes { get; set; } = 4 * 1024 * 1024;

    public int MaxEventsPerRequest { get; set; } = 5_000;

    /// <summary>Element paths nest one level per DOM ancestor, so this is generous.</summary>
    public int MaxJsonDepth { get; set; } = 256;

    /// <summary>The longest string value, in bytes of JSON.</summary>
    public int MaxStringLength { get; set; } = 64 * 1024;

    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Accepted-but-unwritten events beyond this make new requests wait their turn with a 503.</summary>
    public int MaxQueuedEvents { get; set; } = 200_000;

    /// <summary>How many events one group commit writes at most.</summary>
    public int MaxEventsPerCommit { get; set; } = 20_000;
}

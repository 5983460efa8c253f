using Guidepost.Core.Events;
using Guidepost.Ingestion.Normalize;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Ingestion.Wire;
using Guidepost.Ingestion.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guidepost.Ingestion;

/// <summary>The front door of ingestion: decode and validate a request's events, run them through the
/// pipeline, and hand the result to the group-commit writer. The task completes once the events are
/// durable. Client mistakes throw <see cref="PayloadException"/>; a full queue throws
/// <see cref="QueueFullException"/>.</summary>
public sealed class Ingestor(
    IOptions<IngestionOptions> options, AgentPayloadReader agentReader, TrackApiReader trackReader, UserAgentCache userAgents,
    IngestionWriter writer, TimeProvider time, ILogger<Ingestor> logger)
{
    /// <summary>An agent beacon: <paramref name="jzb"/> holds a JSON array of events.</summary>
    public Task<IngestOutcome> IngestBeaconAsync(
        IngestionTarget target, ReadOnlySpan<char> jzb, string? remoteIp, string? userAgent, string? acceptLanguage)
    {
        var json = Jzb.Decode(jzb, options.Value.MaxCompressedChars, options.Value.MaxInflatedBytes);
        var request = new RequestContext(target.SubscriptionId, target.ApplicationId, time.GetUtcNow().ToUnixTimeMilliseconds(),
            remoteIp, userAgent, userAgents.Parse(userAgent), AgentLanguage(acceptLanguage));
        return WriteAsync(target, agentReader.Read(json, request));
    }

    /// <summary>One Track API event, as JSON.</summary>
    public Task<IngestOutcome> IngestTrackAsync(IngestionTarget target, ReadOnlySpan<byte> body) =>
        WriteAsync(target, [trackReader.Read(body, target.SubscriptionId, target.ApplicationId, time.GetUtcNow().ToUnixTimeMilliseconds())]);

    private async Task<IngestOutcome> WriteAsync(IngestionTarget target, IReadOnlyList<StoredEvent> events)
    {
        var outcome = IngestionPipeline.Process(events, target);
        if (outcome.Dropped.Count > 0)
            logger.LogDebug("Application {ApplicationId} dropped {Dropped}", target.ApplicationId,
                string.Join(", ", outcome.Dropped.Select(d => $"{d.Value} {d.Key}")));
        await writer.WriteAsync(outcome.Batch);
        return outcome;
    }

    /// <summary>The first language of an Accept-Language header in the agent's form ("en-US" → "en_US").</summary>
    internal static string? AgentLanguage(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage)) return null;
        var first = acceptLanguage.Split(',')[0].Split(';')[0].Trim();
        return first is { Length: > 0 and <= 35 } && first != "*" ? first.Replace('-', '_') : null;
    }
}

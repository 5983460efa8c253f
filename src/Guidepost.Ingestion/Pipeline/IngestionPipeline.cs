using Guidepost.Core.Events;

namespace Guidepost.Ingestion.Pipeline;

/// <summary>What ingestion makes of one request's events: the batch to write, and what it dropped and why.</summary>
public sealed record IngestOutcome(IngestBatch Batch, IReadOnlyDictionary<DropReason, int> Dropped);

/// <summary>Runs every event of a request through the ordered ingestion steps. Order matters: exclusions
/// come first so nothing about an excluded event is derived; PII goes before metadata is recorded.</summary>
public static class IngestionPipeline
{
    private static readonly IIngestionStep[] Steps =
    [
        new DropExcludedIp(),
        new DropAnonymousVisitors(),
        new DropExcludedVisitors(),
        new DropExcludedAccounts(),
        new StripPii(),
        new LinkAnonymousVisitors(),
        new RecordAgentMetadata(),
    ];

    public static IngestOutcome Process(IReadOnlyList<StoredEvent> events, IngestionTarget target)
    {
        var context = new StepContext(target);
        var kept = new List<StoredEvent>(events.Count);
        var dropped = new Dictionary<DropReason, int>();
        foreach (var original in events)
        {
            var e = original;
            DropReason? reason = null;
            foreach (var step in Steps)
                if ((reason = step.Apply(ref e, context)) is not null) break;
            if (reason is { } why) dropped[why] = dropped.GetValueOrDefault(why) + 1;
            else kept.Add(e);
        }
        return new IngestOutcome(new IngestBatch(kept, context.Metadata, context.Links), dropped);
    }
}

using System.Threading.Channels;
using Guidepost.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guidepost.Ingestion.Writing;

/// <summary>The write queue is full; the client should retry later.</summary>
public sealed class QueueFullException() : Exception("The ingestion queue is full.");

/// <summary>Group commit: requests hand their batch to one writer loop, which writes everything queued
/// so far in a single transaction and then completes every waiting request. A request's task completes
/// only after its events are durable, so a 2xx sent after it is a promise kept.</summary>
/// <remarks>The queue is bounded by events, not requests; past the bound a request is refused at once
/// (<see cref="QueueFullException"/>) rather than held, so the server never silently drops or hoards.</remarks>
public sealed class IngestionWriter(IEventStore store, IOptions<IngestionOptions> options, ILogger<IngestionWriter> logger)
    : BackgroundService
{
    private sealed record Pending(IngestBatch Batch, int Size, TaskCompletionSource Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _queuedEvents;

    /// <summary>Completes when the batch is durable; throws <see cref="QueueFullException"/> when the
    /// queue has no room, or the store's error when the write failed (nothing of the batch is stored then).</summary>
    public Task WriteAsync(IngestBatch batch)
    {
        if (batch.IsEmpty) return Task.CompletedTask;
        var size = Math.Max(1, batch.Events.Count);
        var queued = Interlocked.Add(ref _queuedEvents, size);
        // A batch larger than the whole queue is still taken when the queue is otherwise empty.
        if (queued > options.Value.MaxQueuedEvents && queued != size)
        {
            Interlocked.Add(ref _queuedEvents, -size);
            throw new QueueFullException();
        }
        var pending = new Pending(batch, size, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedEvents, -size);
            throw new QueueFullException(); // shutting down
        }
        return pending.Done.Task;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking work; the loop drains what was accepted before the host stops.
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SQLite writes are synchronous, so the loop owns a thread and blocks on it, rather than holding
        // pool threads (an awaited loop would resume on a different pool thread after every wait).
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "Guidepost ingestion writer" };
        thread.Start();
        return done.Task;
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            var events = 0;
            while (events < options.Value.MaxEventsPerCommit && reader.TryRead(out var next))
            {
                group.Add(next);
                events += next.Size;
            }
            try
            {
                if (!TryCommit(group) && group.Count > 1)
                    // One request's batch must not fail the others: write them one by one.
                    foreach (var pending in group) TryCommit([pending]);
            }
            finally
            {
                Interlocked.Add(ref _queuedEvents, -events);
            }
        }
    }

    private bool TryCommit(List<Pending> group)
    {
        try
        {
            // The SQLite store completes synchronously; a store that does not simply blocks this thread.
            var result = store.AppendAsync(IngestBatch.Combine([.. group.Select(p => p.Batch)]), CancellationToken.None).GetAwaiter().GetResult();
            logger.LogDebug("Committed {Requests} requests: {Stored} events stored, {Duplicates} duplicates", group.Count, result.Stored, result.Duplicates);
            foreach (var pending in group) pending.Done.TrySetResult();
            return true;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing {Requests} ingestion requests failed; none of their events were stored", group.Count);
            if (group.Count == 1) group[0].Done.TrySetException(e);
            return false;
        }
    }
}

using Guidepost.Query.Aggregations.Execution;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"sort": ["-numEvents", "visitorId"]}</c>: a stable sort on several keys; <c>-</c> means
/// descending (<c>+</c> or nothing ascending). Values of different types order as <see cref="Values.Compare"/> does.</summary>
public sealed class SortStage(int index, IReadOnlyList<(string Field, bool Descending)> keys) : Stage(index)
{
    public IReadOnlyList<(string Field, bool Descending)> Keys { get; } = keys;

    /// <summary>Set by the planner when a limit follows: only the first this many rows of the order are kept,
    /// in a heap, instead of sorting every row.</summary>
    public long? Keep { get; set; }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var order = Comparer<(object?[] Key, Row Row, long Position)>.Create(Compare);
        // With a limit, the heap's top is the worst row kept, so a better row replaces it.
        var kept = Keep is { } keep ? new PriorityQueue<(object?[] Key, Row Row, long Position), (object?[] Key, Row Row, long Position)>(
            Comparer<(object?[] Key, Row Row, long Position)>.Create((a, b) => Compare(b, a))) : null;
        var rows = new List<(object?[] Key, Row Row, long Position)>();
        var position = 0L;
        await foreach (var row in input)
        {
            var entry = (Keys.Select(k => Values.Get(row, k.Field)).ToArray(), row, position++);
            if (kept is null)
            {
                rows.Add(entry);
                run.Hold(rows.Count, Index);
            }
            else if (kept.Count < Keep) kept.Enqueue(entry, entry);
            else if (Keep > 0 && Compare(entry, kept.Peek()) < 0) kept.DequeueEnqueue(entry, entry);
        }
        if (kept is not null) rows.AddRange(kept.UnorderedItems.Select(item => item.Element));
        var sorted = rows.ToArray();
        Array.Sort(sorted, order);
        foreach (var (_, row, _) in sorted) yield return row;
    }

    private int Compare((object?[] Key, Row Row, long Position) a, (object?[] Key, Row Row, long Position) b)
    {
        for (var k = 0; k < Keys.Count; k++)
        {
            var order = Values.Compare(a.Key[k], b.Key[k]);
            if (order != 0) return Keys[k].Descending ? -order : order;
        }
        return a.Position.CompareTo(b.Position);
    }
}

/// <summary><c>{"count": null}</c>: one row, <c>{"count": N}</c>.</summary>
public sealed class CountStage(int index) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var count = 0L;
        await foreach (var _ in input) count++;
        yield return new Row(StringComparer.Ordinal) { ["count"] = (double)count };
    }
}

/// <summary><c>{"group": {"group": [keys], "fields": {name: aggregator}}}</c>: one row per distinct key
/// tuple, in the order keys were first seen; <c>{"reduce": {…}}</c> is a group with no keys that answers
/// one row even for no input.</summary>
public sealed class GroupStage(int index, IReadOnlyList<string> keys, IReadOnlyList<(string Field, Aggregator Aggregator)> fields, bool reduce) : Stage(index)
{
    public IReadOnlyList<string> Keys { get; } = keys;
    public IReadOnlyList<(string Field, Aggregator Aggregator)> Fields { get; } = fields;
    public bool IsReduce { get; } = reduce;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var starts = new Func<Aggregator.Accumulator>[Fields.Count];
        for (var i = 0; i < starts.Length; i++) starts[i] = await Fields[i].Aggregator.PrepareAsync(run);
        var groups = new Dictionary<ValueKey, (object?[] Key, Aggregator.Accumulator[] Accumulators)>();
        await foreach (var row in input)
        {
            var key = new object?[Keys.Count];
            for (var i = 0; i < key.Length; i++) key[i] = Values.Get(row, Keys[i]);
            var lookup = new ValueKey(key.Length == 1 ? key[0] : key.ToList());
            if (!groups.TryGetValue(lookup, out var group))
            {
                groups[lookup] = group = (key, [.. starts.Select(start => start())]);
                run.Hold(groups.Count, Index);
            }
            foreach (var accumulator in group.Accumulators) accumulator.Add(row, run.Expressions);
        }
        if (IsReduce && groups.Count == 0) groups[default] = ([], [.. starts.Select(start => start())]);
        foreach (var (key, accumulators) in groups.Values)
        {
            var row = new Row(Keys.Count + Fields.Count, StringComparer.Ordinal);
            for (var i = 0; i < Keys.Count; i++) Values.Set(row, Keys[i], key[i]);
            for (var i = 0; i < Fields.Count; i++) Values.Set(row, Fields[i].Field, accumulators[i].Result());
            yield return row;
        }
    }
}

/// <summary><c>{"join": {"fields": [keys], "width": N}}</c>: merges rows that share the key; once
/// <c>width</c> rows have met, the merged row goes on and a later row with that key starts afresh. Rows that
/// never met <c>width</c> partners go on at the end (Pendo does not say; dropping them would lose data).</summary>
public sealed class JoinStage(int index, IReadOnlyList<string> keys, int? width) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var open = new Dictionary<ValueKey, (Row Row, int Count, long Opened)>();
        var opened = 0L;
        await foreach (var row in input)
        {
            var key = new ValueKey(keys.Select(k => Values.Get(row, k)).ToList());
            if (!open.TryGetValue(key, out var joined)) joined = (new Row(StringComparer.Ordinal), 0, opened++);
            foreach (var (field, value) in row) joined.Row[field] = value;
            joined.Count++;
            if (width is { } w && joined.Count >= w)
            {
                open.Remove(key);
                yield return joined.Row;
                continue;
            }
            open[key] = joined;
            run.Hold(open.Count, Index);
        }
        foreach (var rest in open.Values.OrderBy(j => j.Opened)) yield return rest.Row;
    }
}

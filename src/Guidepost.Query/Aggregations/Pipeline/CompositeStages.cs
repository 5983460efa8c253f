using Guidepost.Query.Aggregations.Execution;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"fork": [[…], […]]}</c>: every row goes through every branch (the same row object, so a
/// change one branch makes is seen by the next), and the branches' rows follow one another.</summary>
public sealed class ForkStage(int index, IReadOnlyList<Pipeline> branches) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var rows = new List<Row>();
        await foreach (var row in input)
        {
            rows.Add(row);
            run.Hold(rows.Count, Index);
        }
        foreach (var branch in branches)
            await foreach (var row in branch.RunAsync(rows.ToAsyncEnumerable(), run)) yield return row;
    }
}

/// <summary><c>{"spawn": [[{"source": …}, …], …]}</c>: independent pipelines, each with its own source,
/// whose rows follow one another.</summary>
public sealed class SpawnStage(int index, IReadOnlyList<Pipeline> pipelines) : SourceStage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        foreach (var pipeline in pipelines)
            await foreach (var row in pipeline.RunAsync(run)) yield return row;
    }
}

/// <summary><c>{"merge": {"fields": [keys], "mappings": {main: inner}, "pipeline": […]}}</c>: a lookup of
/// each row's key in the rows of an inner pipeline. Without <c>mappings</c> every inner field is copied;
/// with <c>{}</c> none. Rows without a match pass unchanged; when inner rows share a key the last one wins.</summary>
public sealed class MergeStage(int index, IReadOnlyList<string> keys, IReadOnlyList<(string Main, string Inner)>? mappings, Pipeline inner) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var lookup = new Dictionary<ValueKey, Row>();
        await foreach (var row in inner.RunAsync(run))
        {
            lookup[Key(row)] = row;
            run.Hold(lookup.Count, Index);
        }
        await foreach (var row in input)
        {
            if (lookup.TryGetValue(Key(row), out var match))
            {
                if (mappings is null)
                    foreach (var (field, value) in match) row[field] = Values.DeepCopy(value);
                else
                    foreach (var (main, from) in mappings) Values.Set(row, main, Values.DeepCopy(Values.Get(match, from)));
            }
            yield return row;
        }
    }

    private ValueKey Key(Row row) => new(keys.Count == 1 ? Values.Get(row, keys[0]) : keys.Select(k => Values.Get(row, k)).ToList());
}

using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary>One operator of a pipeline: turns the rows of the stage before into its own. Stages stream
/// where they can; the ones that must see every row first (sort, group, …) count what they hold.</summary>
public abstract class Stage(int index)
{
    /// <summary>Where the stage is in its pipeline (0-based); errors name it.</summary>
    public int Index { get; } = index;

    public abstract IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run);
}

/// <summary>A stage that starts a pipeline: a source, or a generator such as <c>pes</c>.</summary>
public abstract class SourceStage(int index) : Stage(index);

/// <summary>A parsed pipeline: a source (or generator) and the operators after it.</summary>
public sealed class Pipeline(IReadOnlyList<Stage> stages)
{
    public IReadOnlyList<Stage> Stages { get; } = stages;

    public IAsyncEnumerable<Row> RunAsync(PipelineRun run) => RunAsync(Empty(), run);

    /// <summary>Runs the stages over <paramref name="input"/> (rows for a pipeline without a source, as a
    /// fork branch has).</summary>
    public IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var rows = input;
        foreach (var stage in Planner.Plan(Stages, run)) rows = Guard(stage, stage.RunAsync(rows, run), run);
        return rows;
    }

    private static async IAsyncEnumerable<Row> Empty()
    {
        await Task.CompletedTask;
        yield break;
    }

    /// <summary>Names the stage in any expression error its rows raise.</summary>
    private static async IAsyncEnumerable<Row> Guard(Stage stage, IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        await using var enumerator = rows.GetAsyncEnumerator(run.Cancellation);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync()) yield break;
            }
            catch (ExpressionException e)
            {
                throw AggregationException.Invalid(e.Message, stage.Index);
            }
            yield return enumerator.Current;
        }
    }
}

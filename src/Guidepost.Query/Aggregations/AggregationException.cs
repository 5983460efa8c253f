namespace Guidepost.Query.Aggregations;

/// <summary>A request the engine will not run, with the HTTP status it deserves: 400 for a malformed or
/// invalid pipeline (naming the stage, the problem and what was expected), 404 for an unknown id, 422 when
/// a configured limit is reached.</summary>
public sealed class AggregationException(int status, string message, int? stage = null) : Exception(Describe(message, stage))
{
    public int Status { get; } = status;

    /// <summary>The pipeline stage (0-based) the problem is in, when there is one.</summary>
    public int? Stage { get; } = stage;

    public static AggregationException Invalid(string message, int? stage = null) => new(400, message, stage);

    public static AggregationException Limit(string message, int? stage = null) => new(422, message, stage);

    private static string Describe(string message, int? stage) => stage is { } index ? $"stage {index}: {message}" : message;
}

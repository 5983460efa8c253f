using System.Text.Json;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>Reads a source's parameters (<c>{"pageEvents": {"appId": …, "pageId": …}}</c>), naming the stage
/// and what was expected when one is wrong.</summary>
public sealed class SourceParameters(string source, JsonElement parameters, int stage)
{
    public string Source { get; } = source;
    public int Stage { get; } = stage;

    public bool Has(string name) => Has(name, out _);

    private bool Has(string name, out JsonElement value)
    {
        value = default;
        return parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Fails on a parameter the source does not take, so a typo is not silently ignored.</summary>
    public void Allow(params string[] names)
    {
        if (parameters.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return;
        if (parameters.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid($"the parameters of source '{Source}' must be an object or null; got {parameters.GetRawText()}", Stage);
        foreach (var property in parameters.EnumerateObject())
            if (!names.Contains(property.Name))
                throw AggregationException.Invalid($"source '{Source}' has no parameter '{property.Name}'; it takes {(names.Length == 0 ? "none" : string.Join(", ", names))}", Stage);
    }

    public string? String(string name)
    {
        if (!Has(name, out var value)) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw AggregationException.Invalid($"{Source}.{name} must be a string; got {value.GetRawText()}", Stage);
    }

    public bool? Boolean(string name)
    {
        if (!Has(name, out var value)) return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw AggregationException.Invalid($"{Source}.{name} must be true or false; got {value.GetRawText()}", Stage);
    }

    /// <summary>A list of strings, or null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!Has(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw AggregationException.Invalid($"{Source}.{name} must be a list of strings; got {value.GetRawText()}", Stage);
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>An instant as epoch ms or an expression (<c>"date(2024,1,1)"</c>), or null when absent.</summary>
    public long? Instant(string name, ExpressionContext context) =>
        Has(name, out var value) ? TimeSeries.Instant(value, $"{Source}.{name}", Stage, context) : null;

    /// <summary>An id given as <paramref name="single"/> (a string) or <paramref name="plural"/> (a list of strings).</summary>
    public IReadOnlyList<string>? Ids(string single, string plural)
    {
        return String(single) is { } one ? [one] : Strings(plural);
    }

    /// <summary><c>blacklist</c>: <c>apply</c> (default), <c>ignore</c> or <c>only</c>.</summary>
    public string ExcludeList(string fallback)
    {
        var value = String("blacklist") ?? fallback;
        return value is "apply" or "ignore" or "only"
            ? value
            : throw AggregationException.Invalid($"{Source}.blacklist must be apply, ignore or only; got '{value}'", Stage);
    }

    /// <summary><c>appId</c> as a number, a list of numbers or <c>expandAppIds("web|mobile")</c>; the
    /// subscription's first application when absent or an empty list, as Pendo's default app is (none while
    /// the subscription has no application).</summary>
    public IReadOnlyList<long> ApplicationIds(PipelineRun run)
    {
        IReadOnlyList<long> fallback = run.ApplicationIds.Count == 0 ? [] : [run.ApplicationIds[0]];
        if (!Has("appId", out var value)) return fallback;
        var ids = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => [id],
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _)) =>
                [.. value.EnumerateArray().Select(v => v.GetInt64())],
            JsonValueKind.String => Expanded(value.GetString()!, run),
            _ => throw AggregationException.Invalid($"{Source}.appId must be an application id, a list of them or \"expandAppIds(\\\"*\\\")\"; got {value.GetRawText()}", Stage),
        };
        if (ids.Count == 0) return fallback;
        foreach (var id in ids)
            if (!run.ApplicationIds.Contains(id))
                throw new AggregationException(404, $"{Source}.appId: the subscription has no application {id}", Stage);
        return ids;
    }

    private List<long> Expanded(string text, PipelineRun run)
    {
        if (long.TryParse(text, out var id)) return [id];
        try
        {
            return Expression.Parse(text).Evaluate(new Row(), run.Expressions) switch
            {
                double number => [(long)number],
                List<object?> list when list.All(v => v is double) => [.. list.Select(v => (long)(double)v!)],
                var other => throw AggregationException.Invalid($"{Source}.appId expression '{text}' gave {Values.TypeName(other)}, not application ids", Stage),
            };
        }
        catch (ExpressionException e)
        {
            throw AggregationException.Invalid($"{Source}.appId '{text}': {e.Message}", Stage);
        }
    }
}

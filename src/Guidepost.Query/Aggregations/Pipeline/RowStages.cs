using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"filter": "numEvents > 10"}</c>: keeps the rows the expression is true for.</summary>
public sealed class FilterStage(int index, Expression condition) : Stage(index)
{
    public Expression Condition { get; } = condition;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
            if (Expression.IsTrue(Condition.Evaluate(row, run.Expressions))) yield return row;
    }
}

/// <summary><c>{"select": {"out": "expr"}}</c>: rows of only the listed fields.</summary>
public sealed class SelectStage(int index, IReadOnlyList<(string Field, Expression Value)> fields) : Stage(index)
{
    public IReadOnlyList<(string Field, Expression Value)> Fields { get; } = fields;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
        {
            var selected = new Row(Fields.Count, StringComparer.Ordinal);
            foreach (var (field, value) in Fields) Values.Set(selected, field, value.Evaluate(row, run.Expressions));
            yield return selected;
        }
    }
}

/// <summary><c>{"eval": {"field": "expr"}}</c>: adds or replaces fields, keeping the rest. Every expression
/// reads the row as it came in (Pendo leaves the order inside one eval undefined; chain evals instead).
/// Rows are changed in place, so a row shared by fork branches shows the change in each.</summary>
public sealed class EvalStage(int index, IReadOnlyList<(string Field, Expression Value)> fields) : Stage(index)
{
    /// <summary>The time buckets of event rows, which Pendo does not let a pipeline overwrite.</summary>
    public static readonly IReadOnlySet<string> ReadOnlyFields = new HashSet<string>(StringComparer.Ordinal) { "day", "hour", "week", "month", "quarter" };

    public IReadOnlyList<(string Field, Expression Value)> Fields { get; } = fields;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var results = new object?[Fields.Count];
        await foreach (var row in input)
        {
            for (var i = 0; i < Fields.Count; i++) results[i] = Fields[i].Value.Evaluate(row, run.Expressions);
            for (var i = 0; i < Fields.Count; i++) Values.Set(row, Fields[i].Field, results[i]);
            yield return row;
        }
    }
}

/// <summary><c>{"set": {"field": constant}}</c>: sets fields to constants.</summary>
public sealed class SetStage(int index, IReadOnlyList<(string Field, object? Value)> fields) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
        {
            foreach (var (field, value) in fields) Values.Set(row, field, Values.DeepCopy(value));
            yield return row;
        }
    }
}

/// <summary><c>{"cat": null}</c>: passes rows through.</summary>
public sealed class CatStage(int index) : Stage(index)
{
    public override IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run) => input;
}

/// <summary><c>{"limit": N}</c>: the first N rows; stops reading after them.</summary>
public sealed class LimitStage(int index, long count) : Stage(index)
{
    public long Count { get; } = count;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        if (Count <= 0) yield break;
        var taken = 0L;
        await foreach (var row in input)
        {
            yield return row;
            if (++taken >= Count) yield break;
        }
    }
}

/// <summary><c>{"identified": "visitorId"}</c> keeps rows whose visitor is identified, <c>"!visitorId"</c>
/// the anonymous ones. For any other field (such as <c>accountId</c>), identified means present, not empty
/// and not an anonymous id.</summary>
public sealed class IdentifiedStage(int index, string field, bool anonymous) : Stage(index)
{
    public string Field { get; } = field;
    public bool Anonymous { get; } = anonymous;

    public static bool IsIdentified(object? value) => value is string id && id.Length > 0 && !AnonymousVisitors.Is(id);

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
            if (IsIdentified(Values.Get(row, Field)) != Anonymous) yield return row;
    }
}

/// <summary><c>{"unwind": {"field", "index", "keepEmpty", "prefix"}}</c>: one row per element of a list
/// field, the element in place of the list (with <c>prefix</c>, the list up to and including it).</summary>
public sealed class UnwindStage(int index, string field, string? indexField, bool keepEmpty, bool prefix) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
        {
            var value = Values.Get(row, field);
            var list = value as List<object?>;
            if (list is null || list.Count == 0)
            {
                if (!keepEmpty) continue;
                var kept = Copy(row);
                Values.Set(kept, field, null);
                yield return kept;
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                var copy = Copy(row);
                Values.Set(copy, field, prefix ? list.GetRange(0, i + 1).Select(Values.DeepCopy).ToList() : Values.DeepCopy(list[i]));
                if (indexField is not null) Values.Set(copy, indexField, (double)i);
                yield return copy;
            }
        }
    }

    private static Row Copy(Row row) => (Row)Values.DeepCopy(row)!;
}

/// <summary><c>{"switch": {"out": {"in": [{"value": v, "&lt;": 10, …}, …]}}}</c>: the value of the first
/// case whose every condition holds for the input field. A row no case matches is dropped, as in Pendo.</summary>
public sealed class SwitchStage(int index, string output, string input, IReadOnlyList<SwitchStage.Case> cases) : Stage(index)
{
    public sealed record Case(object? Value, IReadOnlyList<(string Operator, object? Operand)> Conditions);

    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal) { "==", "!=", "<", "<=", ">", ">=" };

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        await foreach (var row in rows)
        {
            var value = Values.Get(row, input);
            if (value is null) continue;
            var match = cases.FirstOrDefault(c => c.Conditions.All(t => Holds(value, t.Operator, t.Operand)));
            if (match is null) continue;
            Values.Set(row, output, Values.DeepCopy(match.Value));
            yield return row;
        }
    }

    private static bool Holds(object? value, string op, object? operand)
    {
        if (op is "==") return Values.AreEqual(value, operand);
        if (op is "!=") return !Values.AreEqual(value, operand);
        // Ordering compares like with like only: a number is never "less than" a string.
        if (Values.TypeName(value) != Values.TypeName(operand)) return false;
        var order = Values.Compare(value, operand);
        return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }
}

/// <summary><c>{"unmarshal": {"out": "in"}}</c>: parses a JSON text field into a value (null when it is not JSON).</summary>
public sealed class UnmarshalStage(int index, IReadOnlyList<(string Output, string Input)> fields) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        await foreach (var row in input)
        {
            foreach (var (output, from) in fields) Values.Set(row, output, Parse(Values.Get(row, from)));
            yield return row;
        }
    }

    private static object? Parse(object? text)
    {
        if (text is not string json) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return Values.FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary><c>{"accumulate": {"out": "in"}}</c>: a running sum of a numeric field in row order.</summary>
public sealed class AccumulateStage(int index, IReadOnlyList<(string Output, string Input)> fields) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var sums = new double[fields.Count];
        await foreach (var row in input)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (Values.Get(row, fields[i].Input) is double value) sums[i] += value;
                Values.Set(row, fields[i].Output, sums[i]);
            }
            yield return row;
        }
    }
}

/// <summary><c>{"useragent": {"out": "userAgent"}}</c>: the user agent text parsed into
/// <c>{name, browser, version, os, osVersion, device}</c> by the parser ingestion uses.</summary>
public sealed class UserAgentStage(int index, IReadOnlyList<(string Output, string Input)> fields) : Stage(index)
{
    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var parsed = new Dictionary<string, Row>(StringComparer.Ordinal);
        await foreach (var row in input)
        {
            foreach (var (output, from) in fields)
            {
                if (Values.Get(row, from) is not string text)
                {
                    Values.Set(row, output, null);
                    continue;
                }
                if (!parsed.TryGetValue(text, out var agent))
                {
                    var ua = Guidepost.Ingestion.Normalize.UserAgentParser.Parse(text);
                    agent = new Row(StringComparer.Ordinal)
                    {
                        ["name"] = ua.Browser, ["browser"] = ua.Browser, ["version"] = ua.BrowserVersion,
                        ["os"] = ua.Os, ["osVersion"] = ua.OsVersion, ["device"] = ua.Device,
                    };
                    if (parsed.Count < 10_000) parsed[text] = agent;
                }
                Values.Set(row, output, Values.DeepCopy(agent));
            }
            yield return row;
        }
    }
}

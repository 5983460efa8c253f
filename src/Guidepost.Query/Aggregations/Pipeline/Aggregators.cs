using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary>A field aggregator of <c>group.fields</c> and <c>reduce</c>: <c>count</c>, <c>countIf</c>,
/// <c>sum</c>, <c>avg</c>/<c>mean</c>, <c>min</c>, <c>max</c>, <c>median</c>, <c>first</c>, <c>list</c>, and the
/// statistics <c>stddev</c> and <c>var</c> (of a sample: divided by n − 1, as SQL's <c>stddev</c> and <c>variance</c>),
/// <c>listIf</c> (<c>{"list": value, "if": condition}</c>) and <c>percentiles</c> (<c>{"field": value, "p90": 90, …}</c>:
/// an object of the named percentiles, interpolated linearly between the closest ranks, as PostgreSQL's
/// <c>percentile_cont</c>), and <c>daysActiveUnion</c> (the sorted union of <c>timespan</c>'s <c>activeDays</c> lists).
/// Arguments are expressions evaluated per row. <c>funnel</c> and <c>path</c> follow events instead
/// (<see cref="JourneyAggregator"/>).</summary>
public sealed class Aggregator
{
    public static readonly IReadOnlyList<string> Names = ["count", "countIf", "sum", "avg", "mean", "min", "max", "median", "first", "list", "listIf", "stddev", "var", "percentiles", "daysActiveUnion", "funnel", "path", "treeify"];

    private Aggregator(string name, IReadOnlyList<Expression> arguments, Expression? condition, IReadOnlyList<(string Name, double Percent)>? percentiles = null)
    {
        Name = name;
        Arguments = arguments;
        Condition = condition;
        Percentiles = percentiles;
    }

    public string Name { get; }

    private JourneyAggregator? Journey { get; init; }

    private TreeifyAggregator? Tree { get; init; }

    /// <summary>What is aggregated: none for <c>count: null</c>, several for a count of distinct combinations.</summary>
    public IReadOnlyList<Expression> Arguments { get; }

    /// <summary><c>countIf</c>'s and <c>listIf</c>'s <c>if</c>.</summary>
    public Expression? Condition { get; }

    /// <summary><c>percentiles</c>' names and percents (0–100).</summary>
    private IReadOnlyList<(string Name, double Percent)>? Percentiles { get; }

    public IEnumerable<string> FieldPaths => Arguments.Append(Condition).OfType<Expression>().SelectMany(e => e.FieldPaths).Concat(Journey?.Reads ?? []).Concat(Tree is null ? [] : TreeifyAggregator.Reads);

    /// <summary>Counts rows: <c>count: null</c>.</summary>
    public bool CountsRows => Name is "count" or "countIf" && Arguments.Count == 0;

    public static Aggregator Create(string name, IReadOnlyList<Expression> arguments, Expression? condition = null) => new(name, arguments, condition);

    public static Aggregator CreatePercentiles(Expression value, IReadOnlyList<(string Name, double Percent)> percentiles) => new("percentiles", [value], null, percentiles);

    public static Aggregator Create(JourneyAggregator journey) => new(journey.Name, [], null) { Journey = journey };

    public static Aggregator Create(TreeifyAggregator tree) => new(TreeifyAggregator.Name, [], null) { Tree = tree };

    /// <summary>Whatever the aggregator needs from the store, loaded once per run; the factory starts one
    /// accumulator per group.</summary>
    public async Task<Func<Accumulator>> PrepareAsync(PipelineRun run) => Journey is null ? Start : await Journey.PrepareAsync(run, this);

    private Accumulator Start() => Name switch
    {
        _ when Tree is not null => Tree.Start(this),
        "count" or "countIf" => Arguments.Count == 0 ? new RowCount(this) : new DistinctCount(this),
        "sum" => new Sum(this),
        "avg" or "mean" => new Average(this),
        "min" => new Extreme(this, -1),
        "max" => new Extreme(this, 1),
        "median" => new Median(this),
        "stddev" => new Spread(this, squareRoot: true),
        "var" => new Spread(this, squareRoot: false),
        "percentiles" => new Percentile(this, Percentiles!),
        "daysActiveUnion" => new DayUnion(this),
        "first" => new First(this),
        _ => new Collect(this),
    };

    /// <summary>One group's running value of one aggregator.</summary>
    public abstract class Accumulator(Aggregator aggregator)
    {
        public void Add(Row row, ExpressionContext context)
        {
            if (aggregator.Condition is { } condition && !Expression.IsTrue(condition.Evaluate(row, context))) return;
            Add(aggregator.Arguments.Count == 0 ? null : aggregator.Arguments[0].Evaluate(row, context), row, context);
        }

        protected abstract void Add(object? value, Row row, ExpressionContext context);

        public abstract object? Result();

        protected Aggregator Aggregator => aggregator;
    }

    private sealed class RowCount(Aggregator a) : Accumulator(a)
    {
        private double _count;
        protected override void Add(object? value, Row row, ExpressionContext context) => _count++;
        public override object? Result() => _count;
    }

    /// <summary>Distinct non-null values (or combinations, of which at least one part is not null).</summary>
    private sealed class DistinctCount(Aggregator a) : Accumulator(a)
    {
        private readonly HashSet<object?> _seen = new(ValueComparer.Instance);

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (Aggregator.Arguments.Count == 1)
            {
                if (value is not null) _seen.Add(value);
                return;
            }
            var combination = Aggregator.Arguments.Select(e => e.Evaluate(row, context)).ToList();
            if (combination.Any(v => v is not null)) _seen.Add(combination);
        }

        public override object? Result() => (double)_seen.Count;
    }

    private sealed class Sum(Aggregator a) : Accumulator(a)
    {
        private double _sum;
        protected override void Add(object? value, Row row, ExpressionContext context) { if (value is double number) _sum += number; }
        public override object? Result() => _sum;
    }

    private sealed class Average(Aggregator a) : Accumulator(a)
    {
        private double _sum;
        private long _count;

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (value is not double number) return;
            _sum += number;
            _count++;
        }

        public override object? Result() => _count == 0 ? null : _sum / _count;
    }

    private sealed class Extreme(Aggregator a, int sign) : Accumulator(a)
    {
        private object? _best;

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (value is not null && (_best is null || sign * Values.Compare(value, _best) > 0)) _best = value;
        }

        public override object? Result() => _best;
    }

    private sealed class Median(Aggregator a) : Accumulator(a)
    {
        private readonly List<double> _values = [];
        protected override void Add(object? value, Row row, ExpressionContext context) { if (value is double number) _values.Add(number); }

        public override object? Result()
        {
            if (_values.Count == 0) return null;
            _values.Sort();
            return Percentile.Of(_values, 50);
        }
    }

    /// <summary>The named percentiles of the numbers, as one object.</summary>
    private sealed class Percentile(Aggregator a, IReadOnlyList<(string Name, double Percent)> percentiles) : Accumulator(a)
    {
        private readonly List<double> _values = [];
        protected override void Add(object? value, Row row, ExpressionContext context) { if (value is double number) _values.Add(number); }

        public override object? Result()
        {
            _values.Sort();
            var result = new Row(StringComparer.Ordinal);
            foreach (var (name, percent) in percentiles) result[name] = _values.Count == 0 ? null : Of(_values, percent);
            return result;
        }

        /// <summary>Linear interpolation between the closest ranks of sorted values (the median at 50).</summary>
        public static double Of(List<double> sorted, double percent)
        {
            var rank = percent / 100 * (sorted.Count - 1);
            var below = (int)Math.Floor(rank);
            return below + 1 >= sorted.Count ? sorted[below] : sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]);
        }
    }

    /// <summary>Every number of the lists, once each, in order; other values are skipped.</summary>
    private sealed class DayUnion(Aggregator a) : Accumulator(a)
    {
        private readonly SortedSet<double> _days = [];

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (value is List<object?> list) _days.UnionWith(list.OfType<double>());
        }

        public override object? Result() => _days.Select(d => (object?)d).ToList();
    }

    /// <summary>The sample variance of the numbers (Welford's running form), or its square root; null below two numbers.</summary>
    private sealed class Spread(Aggregator a, bool squareRoot) : Accumulator(a)
    {
        private long _count;
        private double _mean, _squares;

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (value is not double number) return;
            _count++;
            var delta = number - _mean;
            _mean += delta / _count;
            _squares += delta * (number - _mean);
        }

        public override object? Result()
        {
            if (_count < 2) return null;
            var variance = _squares / (_count - 1);
            return squareRoot ? Math.Sqrt(variance) : variance;
        }
    }

    private sealed class First(Aggregator a) : Accumulator(a)
    {
        private object? _first;
        protected override void Add(object? value, Row row, ExpressionContext context) => _first ??= value;
        public override object? Result() => _first;
    }

    /// <summary>Every value in row order, nulls and duplicates included (for <c>listIf</c>, of the rows its condition keeps).</summary>
    private sealed class Collect(Aggregator a) : Accumulator(a)
    {
        private readonly List<object?> _values = [];
        protected override void Add(object? value, Row row, ExpressionContext context) => _values.Add(value);
        public override object? Result() => _values;
    }
}

/// <summary>A value as a dictionary key (null included), equal as <see cref="Values.AreEqual"/> says.</summary>
public readonly struct ValueKey(object? value) : IEquatable<ValueKey>
{
    public object? Value { get; } = value;

    public bool Equals(ValueKey other) => Values.AreEqual(Value, other.Value);

    public override bool Equals(object? obj) => obj is ValueKey other && Equals(other);

    public override int GetHashCode() => Values.Hash(Value);
}

/// <summary>Equality of values as the engine defines it (<see cref="Values.AreEqual"/>), for hash sets and dictionaries.</summary>
public sealed class ValueComparer : IEqualityComparer<object?>
{
    public static readonly ValueComparer Instance = new();

    public new bool Equals(object? x, object? y) => Values.AreEqual(x, y);

    public int GetHashCode(object? obj) => Values.Hash(obj);
}

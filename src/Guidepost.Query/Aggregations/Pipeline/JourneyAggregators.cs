using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Aggregations.Sources;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary>A step of a funnel or the anchor of a path: <c>{"pageId": "…"}</c>, <c>{"featureId": "…"}</c>
/// or <c>{"trackTypeId": "…"}</c>. A page step is a load of the page, a feature step a click on the
/// feature, a track type step one of its track events.</summary>
public sealed record JourneyStep(string Field, string Id)
{
    private static readonly string[] Fields = ["pageId", "featureId", "trackTypeId"];

    public static JourneyStep Parse(JsonElement value, int index, string where)
    {
        var properties = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Where(p => Fields.Contains(p.Name)).ToList() : [];
        if (properties is not [{ Value.ValueKind: JsonValueKind.String } only])
            throw AggregationException.Invalid($"{where} names one page, feature or track type: {{\"pageId\":\"…\"}}, {{\"featureId\":\"…\"}} or {{\"trackTypeId\":\"…\"}}; got {value.GetRawText()}", index);
        return new JourneyStep(only.Name, only.Value.GetString()!);
    }

    /// <exception cref="AggregationException">404: no such tagged object.</exception>
    public async Task<Tag> FindAsync(PipelineRun run, int index, string where)
    {
        var kind = Field[..^2];
        var tag = await run.Services.Tags.FindAsync(run.SubscriptionId, kind, Id, run.Cancellation);
        return tag is not null && run.ApplicationIds.Contains(tag.ApplicationId)
            ? tag
            : throw new AggregationException(404, $"{where}: no {kind} '{Id}'", index);
    }
}

/// <summary>The <c>funnel</c> and <c>path</c> aggregators: they follow one group's (usually one visitor's)
/// <c>singleEvents</c> rows in time order and match each against tag rules, as <see cref="TagRules"/> does
/// for the event sources. Rows out of time order are an error rather than a silently wrong answer.</summary>
public abstract class JourneyAggregator(int index, string where)
{
    protected int Index { get; } = index;

    protected string Where { get; } = where;

    public abstract string Name { get; }

    /// <summary>The fields of a <c>singleEvents</c> row the aggregator reads.</summary>
    public IReadOnlyList<string> Reads { get; } = ["appId", "type", "url", "elementPath", "trackTypeName", "browserTime"];

    /// <summary>Loads the rules once per run; the factory starts one accumulator per group.</summary>
    public abstract Task<Func<Aggregator.Accumulator>> PrepareAsync(PipelineRun run, Aggregator aggregator);

    protected static async Task<Dictionary<long, TagRules>> RulesAsync(PipelineRun run, IEnumerable<Tag> tags)
    {
        var rules = new Dictionary<long, TagRules>();
        foreach (var app in tags.GroupBy(t => t.ApplicationId))
            rules[app.Key] = await TagRules.CreateAsync(run, app.Key, app);
        return rules;
    }

    /// <summary>The tags a <c>singleEvents</c> row counts toward, only those of its own kind (a page for a
    /// load, a feature for a click, a track type for a track event).</summary>
    protected static IEnumerable<Tag> Matches(Dictionary<long, TagRules> rules, Row row)
    {
        if (Values.Get(row, "appId") is not double app || !rules.TryGetValue((long)app, out var appRules)) return [];
        var kind = Values.Get(row, "type") switch { "load" => RollupKind.PageLoad, "click" => RollupKind.Click, "track" => RollupKind.Track, _ => RollupKind.Other };
        if (kind == RollupKind.Other) return [];
        return appRules.Match(kind, Values.Get(row, "url") as string, Values.Get(row, "elementPath") as string, Values.Get(row, "trackTypeName") as string)
            .Where(tag => kind == tag switch { Page => RollupKind.PageLoad, Feature => RollupKind.Click, _ => RollupKind.Track });
    }

    private const long MaxSeconds = 100L * 366 * 86_400; // a century: any real interval, and no overflow in milliseconds

    protected static long? Seconds(JsonElement spec, string name, int index, string where) =>
        spec.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is > 0 and <= MaxSeconds
                ? seconds * 1000
                : throw AggregationException.Invalid($"{where}.{name} is a number of seconds from 1 to {MaxSeconds}; got {value.GetRawText()}", index)
            : null;

    protected static bool Flag(JsonElement spec, string name, bool otherwise, int index, string where) =>
        !spec.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? otherwise
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw AggregationException.Invalid($"{where}.{name} is true or false; got {value.GetRawText()}", index);

    /// <summary>Input in time order, ascending or descending (as with <c>reverseTime</c>), checked as it
    /// arrives; rows are held only until the first change of time shows which way the group runs.</summary>
    protected abstract class Follower(Aggregator aggregator, string name) : Aggregator.Accumulator(aggregator)
    {
        private List<(Row Row, double Time)>? _pending = [];
        private int _direction; // +1 ascending, -1 descending, 0 while not known
        private double _lastTime;

        protected sealed override void Add(object? value, Row row, ExpressionContext context)
        {
            var time = Values.Get(row, "browserTime") as double?
                ?? throw new ExpressionException($"{name} reads browserTime, which this row lacks; put it after a singleEvents source");
            if (_direction == 0)
            {
                if (_pending!.Count == 0 || time == _pending[0].Time)
                {
                    _pending.Add((row, time));
                    return;
                }
                _direction = time > _pending[0].Time ? 1 : -1;
                Replay();
            }
            if ((time - _lastTime) * _direction < 0)
                throw new ExpressionException($"{name} needs its rows in time order, ascending or descending (a row at {time} came after one at {_lastTime}); sort by browserTime first");
            _lastTime = time;
            Follow(row, time, _direction < 0);
        }

        private void Replay()
        {
            foreach (var (row, time) in _pending!) Follow(row, time, _direction < 0);
            if (_pending.Count > 0) _lastTime = _pending[0].Time;
            _pending = null;
        }

        public sealed override object? Result()
        {
            if (_direction == 0)
            {
                _direction = 1;
                Replay();
            }
            return Finish();
        }

        /// <summary>One row, in the group's time order (<paramref name="reversed"/> when newest first).</summary>
        protected abstract void Follow(Row row, double time, bool reversed);

        protected abstract object? Finish();
    }
}

/// <summary><c>{"funnel": {"items": [{"pageId": "a"}, {"featureId": "b"}], "uniqueVisitorFunnel": true,
/// "maxInterval": 3600, "maxDuration": 86400}}</c>: the group's attempts at the steps in order, each
/// <c>{"steps": reached, "start": ms, "times": [ms per step reached]}</c>; events in between are ignored.
/// A unique-visitor funnel makes one attempt over the whole input, each step taken the first time it follows
/// the previous one. Otherwise each event of the first step starts a new attempt, ending the one before.
/// <c>maxInterval</c> (seconds) bounds the time from one step to the next, <c>maxDuration</c> (seconds) from
/// the first step to the last.</summary>
public sealed class FunnelAggregator(int index, string where, IReadOnlyList<JourneyStep> items, bool uniqueVisitors, long? maxIntervalMs, long? maxDurationMs)
    : JourneyAggregator(index, where)
{
    public override string Name => "funnel";

    private bool UniqueVisitors { get; } = uniqueVisitors;

    private long? MaxIntervalMs { get; } = maxIntervalMs;

    private long? MaxDurationMs { get; } = maxDurationMs;

    public static FunnelAggregator Parse(JsonElement spec, int index, string where)
    {
        if (spec.ValueKind != JsonValueKind.Object || !spec.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
            throw AggregationException.Invalid($"{where} takes {{\"items\": [{{\"pageId\":\"…\"}}, {{\"featureId\":\"…\"}}, …]}} with at least one step", index);
        return new FunnelAggregator(index, where, [.. items.EnumerateArray().Select((item, i) => JourneyStep.Parse(item, index, $"{where}.items[{i}]"))],
            Flag(spec, "uniqueVisitorFunnel", true, index, where), Seconds(spec, "maxInterval", index, where), Seconds(spec, "maxDuration", index, where));
    }

    public override async Task<Func<Aggregator.Accumulator>> PrepareAsync(PipelineRun run, Aggregator aggregator)
    {
        var tags = new List<Tag>();
        for (var i = 0; i < items.Count; i++) tags.Add(await items[i].FindAsync(run, Index, $"{Where}.items[{i}]"));
        var rules = await RulesAsync(run, tags.DistinctBy(t => t.Id));
        var steps = tags.Select(t => t.Id).ToArray();
        return () => new Attempts(aggregator, this, rules, steps);
    }

    private sealed class Attempts(Aggregator aggregator, FunnelAggregator funnel, Dictionary<long, TagRules> rules, string[] steps) : Follower(aggregator, "funnel")
    {
        private readonly List<object?> _done = [];
        private List<object?>? _times;

        protected override void Follow(Row row, double time, bool reversed)
        {
            if (reversed) throw new ExpressionException("funnel needs its rows oldest first; drop singleEvents' reverseTime");
            var matched = Matches(rules, row).Select(t => t.Id).ToList();
            if (matched.Count == 0) return;
            if (!funnel.UniqueVisitors && matched.Contains(steps[0]))
            {
                Close();
                _times = [time];
                return;
            }
            if (_times is null)
            {
                if (matched.Contains(steps[0])) _times = [time];
                return;
            }
            if (_times.Count < steps.Length && matched.Contains(steps[_times.Count])
                && (funnel.MaxIntervalMs is not { } interval || time - (double)_times[^1]! <= interval)
                && (funnel.MaxDurationMs is not { } duration || time - (double)_times[0]! <= duration))
                _times.Add(time);
        }

        private void Close()
        {
            if (_times is null) return;
            _done.Add(new Row(StringComparer.Ordinal) { ["steps"] = (double)_times.Count, ["start"] = _times[0], ["times"] = _times });
            _times = null;
        }

        protected override object? Finish()
        {
            Close();
            return _done;
        }
    }
}

/// <summary><c>{"path": {"pageId": "…", "predecessors": false, "maxLength": 10, "collapseDups": true,
/// "maxInterval": 3600}}</c>: the steps after (or, with <c>predecessors</c>, before) the group's first event
/// of the anchor, nearest the anchor first, as a list of one path (none when the anchor never occurs); a path
/// is a list of steps and a step is <c>{"items": [item]}</c>, so that Pendo's
/// <c>"map(x, path, x.items)"</c> feeds <c>treeify</c>. An item is a page load (<c>{"pageId"}</c>, or
/// <c>{"url"}</c> for an untagged page), a click on a feature (<c>{"featureId"}</c>; other clicks are no
/// step) or a track event (<c>{"trackTypeName"}</c>). With <c>collapseDups</c> a step equal to the one before
/// it (a reload) is not repeated; a gap over <c>maxInterval</c> seconds ends the path.</summary>
public sealed class PathAggregator(int index, string where, JourneyStep anchor, bool predecessors, int maxLength, bool collapseDuplicates, long? maxIntervalMs)
    : JourneyAggregator(index, where)
{
    public override string Name => "path";

    private bool Predecessors { get; } = predecessors;

    private int MaxLength { get; } = maxLength;

    private bool CollapseDuplicates { get; } = collapseDuplicates;

    private long? MaxIntervalMs { get; } = maxIntervalMs;

    public static PathAggregator Parse(JsonElement spec, int index, string where)
    {
        if (spec.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid($"{where} takes {{\"pageId\"|\"featureId\"|\"trackTypeId\": \"…\", \"maxLength\": 10, …}}", index);
        var maxLength = 10;
        if (spec.TryGetProperty("maxLength", out var length) && length.ValueKind != JsonValueKind.Null
            && !(length.ValueKind == JsonValueKind.Number && length.TryGetInt32(out maxLength) && maxLength is > 0 and <= 100))
            throw AggregationException.Invalid($"{where}.maxLength is a whole number from 1 to 100; got {length.GetRawText()}", index);
        return new PathAggregator(index, where, JourneyStep.Parse(spec, index, where), Flag(spec, "predecessors", false, index, where), maxLength,
            Flag(spec, "collapseDups", true, index, where), Seconds(spec, "maxInterval", index, where));
    }

    public override async Task<Func<Aggregator.Accumulator>> PrepareAsync(PipelineRun run, Aggregator aggregator)
    {
        var target = await anchor.FindAsync(run, Index, Where);
        var catalog = run.Services.Tags;
        List<Tag> tags = [.. await catalog.ListAsync<Page>(run.SubscriptionId, run.ApplicationIds, run.Cancellation),
            .. await catalog.ListAsync<Feature>(run.SubscriptionId, run.ApplicationIds, run.Cancellation)];
        if (target is TrackType) tags.Add(target);
        var rules = await RulesAsync(run, tags);
        return () => new Steps(aggregator, this, rules, target);
    }

    /// <summary>The step a row is, as a string key for comparing neighbours and as the item the path lists.</summary>
    private static (string Key, Row Item)? Step(Row row, List<Tag> matched)
    {
        switch (Values.Get(row, "type"))
        {
            case "load":
                if (matched.OfType<Page>().FirstOrDefault() is { } page) return ("page " + page.Id, new Row(StringComparer.Ordinal) { ["pageId"] = page.Id });
                return Values.Get(row, "url") is string url ? ("url " + url, new Row(StringComparer.Ordinal) { ["url"] = url }) : null;
            case "click":
                return matched.OfType<Feature>().FirstOrDefault() is { } feature ? ("feature " + feature.Id, new Row(StringComparer.Ordinal) { ["featureId"] = feature.Id }) : null;
            case "track":
                return Values.Get(row, "trackTypeName") is string name ? ("track " + name, new Row(StringComparer.Ordinal) { ["trackTypeName"] = name }) : null;
            default:
                return null;
        }
    }

    /// <summary>Follows the group's steps either way in time. In stream order the path is either the steps
    /// after an anchor (successors oldest first, or predecessors newest first) or the steps before it, nearest
    /// first. Oldest first, the first anchor counts; newest first, the last one seen, which is the same event.</summary>
    private sealed class Steps(Aggregator aggregator, PathAggregator path, Dictionary<long, TagRules> rules, Tag anchor) : Follower(aggregator, "path")
    {
        private readonly List<(string Key, Row Item)> _window = []; // before-anchor pattern: the latest runs of steps
        private List<(string Key, Row Item)>? _path;                  // the chosen anchor's steps, nearest first
        private bool _collecting;                                    // after-anchor pattern: still adding to _path
        private bool _done;
        private double? _lastTime;

        protected override void Follow(Row row, double time, bool reversed)
        {
            if (_done) return;
            var matched = Matches(rules, row).ToList();
            if (Step(row, matched) is not { } step) return;
            var gap = path.MaxIntervalMs is { } interval && _lastTime is { } last && Math.Abs(time - last) > interval;
            _lastTime = time;
            var isAnchor = matched.Any(tag => tag.Id == anchor.Id) && (_path is null || reversed);
            if (path.Predecessors == reversed)
                FollowAfter(step, isAnchor, gap);
            else
                FollowBefore(step, isAnchor, gap, reversed);
        }

        private void FollowAfter((string Key, Row Item) step, bool isAnchor, bool gap)
        {
            if (isAnchor)
            {
                _path = [step]; // the anchor itself, so a repeat of it collapses; left out of the result
                _collecting = true;
                return;
            }
            if (!_collecting) return;
            if (gap)
            {
                _collecting = false;
                return;
            }
            if (path.CollapseDuplicates && _path![^1].Key == step.Key) return;
            _path!.Add(step);
            _collecting = _path.Count <= path.MaxLength;
        }

        private void FollowBefore((string Key, Row Item) step, bool isAnchor, bool gap, bool reversed)
        {
            if (gap) _window.Clear();
            if (isAnchor)
            {
                var nearest = Enumerable.Reverse(_window).ToList();
                if (path.CollapseDuplicates && nearest.Count > 0 && nearest[0].Key == step.Key) nearest.RemoveAt(0);
                _path = [step, .. nearest.Take(path.MaxLength)];
                _done = !reversed;
            }
            if (path.CollapseDuplicates && _window.Count > 0 && _window[^1].Key == step.Key) return;
            _window.Add(step);
            if (_window.Count > path.MaxLength + 1) _window.RemoveAt(0);
        }

        protected override object? Finish() => _path is null
            ? new List<object?>()
            : new List<object?> { _path.Skip(1).Select(s => (object?)new Row(StringComparer.Ordinal) { ["items"] = new List<object?> { s.Item } }).ToList() };
    }
}

/// <summary><c>{"treeify": {"threshold": 0.0001, "keySort": true, "uniqueVisitors": false}}</c>, a
/// <c>reduce</c> field over rows whose <c>items</c> is a sequence of steps (as <c>"map(x, path, x.items)"</c>
/// makes of a path): the sequences as a prefix tree, <c>{"count", "children": [{"key", "count", "children"}]}</c>,
/// where a node counts the rows (or, with <c>uniqueVisitors</c>, the distinct visitors) whose sequence starts
/// with the keys down to it. Nodes under <c>threshold</c> of the root's count are left out; children come in
/// key order with <c>keySort</c>, else most counted first.</summary>
public sealed class TreeifyAggregator(double threshold, bool keySort, bool uniqueVisitors)
{
    public const string Name = "treeify";

    private double Threshold { get; } = threshold;

    private bool KeySort { get; } = keySort;

    private bool UniqueVisitors { get; } = uniqueVisitors;

    public static IReadOnlyList<string> Reads { get; } = ["items", "visitorId"];

    public static TreeifyAggregator Parse(JsonElement spec, int index, string where)
    {
        if (spec.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw AggregationException.Invalid($"{where} takes {{\"threshold\": 0.0001, \"keySort\": true, \"uniqueVisitors\": false}}", index);
        var threshold = 0.0;
        if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("threshold", out var t) && t.ValueKind != JsonValueKind.Null
            && !(t.ValueKind == JsonValueKind.Number && (threshold = t.GetDouble()) is >= 0 and <= 1))
            throw AggregationException.Invalid($"{where}.threshold is a share from 0 to 1; got {t.GetRawText()}", index);
        bool Flag(string name) => spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw AggregationException.Invalid($"{where}.{name} is true or false; got {v.GetRawText()}", index),
        };
        return new TreeifyAggregator(threshold, Flag("keySort"), Flag("uniqueVisitors"));
    }

    public Aggregator.Accumulator Start(Aggregator aggregator) => new Tree(aggregator, this);

    private sealed class Node
    {
        public readonly Dictionary<ValueKey, (object? Key, Node Node)> Children = [];
        public double Rows;
        public HashSet<object?>? Visitors;
    }

    private sealed class Tree(Aggregator aggregator, TreeifyAggregator spec) : Aggregator.Accumulator(aggregator)
    {
        private readonly Node _root = new();

        protected override void Add(object? value, Row row, ExpressionContext context)
        {
            if (Values.Get(row, "items") is not List<object?> items) return;
            var visitor = Values.Get(row, "visitorId");
            var node = _root;
            Count(node, visitor);
            foreach (var item in items)
            {
                if (!node.Children.TryGetValue(new ValueKey(item), out var child))
                    node.Children[new ValueKey(item)] = child = (Values.DeepCopy(item), new Node());
                node = child.Node;
                Count(node, visitor);
            }
        }

        private void Count(Node node, object? visitor)
        {
            node.Rows++;
            if (spec.UniqueVisitors && visitor is not null) (node.Visitors ??= new HashSet<object?>(ValueComparer.Instance)).Add(visitor);
        }

        private double CountOf(Node node) => spec.UniqueVisitors ? node.Visitors?.Count ?? 0 : node.Rows;

        public override object? Result() => Render(null, _root, CountOf(_root));

        private Row Render(object? key, Node node, double total)
        {
            var children = node.Children.Values
                .Where(c => total > 0 && CountOf(c.Node) / total >= spec.Threshold)
                .Select(c => (c.Key, Count: CountOf(c.Node), c.Node));
            children = spec.KeySort
                ? children.OrderBy(c => c.Key, Comparer<object?>.Create(Values.Compare))
                : children.OrderByDescending(c => c.Count);
            var row = new Row(StringComparer.Ordinal);
            if (node != _root) row["key"] = key;
            row["count"] = CountOf(node);
            row["children"] = children.Select(c => (object?)Render(c.Key, c.Node, total)).ToList();
            return row;
        }
    }
}

using System.Numerics;
using Guidepost.Config.Entities.Tags;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Aggregations.Pipeline;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>Which grouped event source: everything, or the events of tagged pages, features or track types.</summary>
public enum EventObjects
{
    All,
    Pages,
    Features,
    TrackTypes,
}

/// <summary>The grouped event sources <c>events</c>, <c>pageEvents</c>, <c>featureEvents</c> and
/// <c>trackEvents</c>: one row per application × period × visitor × account × page (feature, track type)
/// with <c>numEvents</c> and <c>numMinutes</c>.</summary>
/// <remarks>
/// What counts (metrics.md): <c>numEvents</c> is page loads for pages, clicks for features, occurrences
/// for track types and every event for <c>events</c>; <c>numMinutes</c> is the distinct minutes with an
/// event that counts toward time — for a page any event but a track event on one of its URLs, for a
/// feature or track type its own events, for <c>events</c> any event but track events. A page row exists
/// only for a period in which the page was loaded. An anonymous visitor who identified counts as the
/// identified visitor. Rows are not split by server, IP or user agent (Guidepost's rollups do not keep
/// them); <c>singleEvents</c> has them per event.
/// <para>Two ways to the same rows: from rollups (the store groups and filters; the planner may drop the
/// visitor or account from the grouping when nothing after needs them) or, with pushdown off, from raw
/// events, matching every event against the tag rules afresh. A property test demands they agree.</para>
/// </remarks>
/// <param name="countedKinds">For <c>events</c>: the kinds <c>numEvents</c> counts (Guidepost's <c>types</c>
/// parameter, such as only page loads); all when null. Minutes stay the time in the app.</param>
public sealed class GroupedEventSource(
    int index, EventObjects objects, SourceParameters parameters, TimeSeries window, IReadOnlyList<string>? objectIds, IReadOnlyCollection<RollupKind>? countedKinds = null)
    : SourceStage(index)
{
    private const long MsPerHour = 3_600_000;
    private const long MsPerQuarter = 900_000;

    public EventObjects Objects { get; } = objects;
    public TimeSeries Window { get; } = window;

    /// <summary>Set by the planner when no later stage reads the visitor (or account): the store then groups without it.</summary>
    public bool KeepVisitor { get; set; } = true;
    public bool KeepAccount { get; set; } = true;

    /// <summary>Cleared by the planner when nothing reads <c>numMinutes</c>: pages then read page loads only,
    /// and <c>events</c> need not tell track events apart.</summary>
    public bool NeedsMinutes { get; set; } = true;

    /// <summary>Set by the planner from a leading <c>visitorId == "…"</c> filter.</summary>
    public string? OnlyVisitor { get; set; }

    /// <summary>Set by the planner when the stage after the source is a group it can do while counting: keys
    /// among the source's key fields, and only sums of counts and distinct counts of key fields. The source then
    /// answers the group's rows itself, without building a row per visitor and period (when minutes are not
    /// needed, without even a count per key).</summary>
    public GroupStage? Folded { get; set; }

    public string ObjectField => Objects switch { EventObjects.Features => "featureId", EventObjects.TrackTypes => "trackTypeId", _ => "pageId" };

    /// <summary>Counts a row carries that stop meaning the same once rows merge: everything but <c>numEvents</c>.
    /// <c>events</c> rows also count page loads, clicks and track events apart (Guidepost's own fields).</summary>
    public static readonly IReadOnlySet<string> CountFields =
        new HashSet<string>(StringComparer.Ordinal) { "numEvents", "numMinutes", "numPageLoads", "numClicks", "numTrackEvents" };

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var apps = objectIds is null ? parameters.ApplicationIds(run) : run.ApplicationIds;
        if (parameters.ExcludeList(run.ExcludeList) == "only") yield break; // excluded traffic is dropped at ingest, never stored
        var tags = await TagsAsync(apps, run);
        if (objectIds is not null) apps = [.. tags.Select(t => t.ApplicationId).Distinct()];
        if (apps.Count == 0) yield break;
        var fold = Folded is null ? null : new GroupFold(Folded, run, Window.BucketField, ObjectField);
        var counts = new PeriodCounts(this, fold);
        var rows = run.Pushdown ? FromRollupsAsync(apps, tags, counts, run) : FromEventsAsync(apps, tags, counts, run);
        await foreach (var row in rows) yield return row;
        if (fold is not null)
            foreach (var row in fold.Rows()) yield return row;
    }

    private async Task<List<Tag>> TagsAsync(IReadOnlyList<long> apps, PipelineRun run)
    {
        var catalog = run.Services.Tags;
        var ct = run.Cancellation;
        List<Tag> tags = Objects switch
        {
            EventObjects.Pages => [.. await catalog.ListAsync<Page>(run.SubscriptionId, apps, ct)],
            EventObjects.Features => [.. await catalog.ListAsync<Feature>(run.SubscriptionId, apps, ct)],
            EventObjects.TrackTypes => [.. await catalog.ListAsync<TrackType>(run.SubscriptionId, apps, ct)],
            _ => [],
        };
        if (objectIds is null) return tags;
        var kind = ObjectField[..^2];
        foreach (var id in objectIds)
            if (tags.All(t => t.Id != id)) throw new AggregationException(404, $"{kind}Id: no {kind} '{id}' in the requested applications", Index);
        return [.. tags.Where(t => objectIds.Contains(t.Id))];
    }

    private async IAsyncEnumerable<Row> FromRollupsAsync(IReadOnlyList<long> apps, List<Tag> tags, PeriodCounts counts, PipelineRun run)
    {
        // Which objects each signature (or URL) counts for, from the tags' matched signatures.
        var bySignature = new Dictionary<(long App, long Id), List<(string Id, IReadOnlyCollection<long>? Urls)>>();
        foreach (var tag in tags)
        {
            var scope = await run.Services.Matcher.ScopeAsync(run.SubscriptionId, tag, run.Services.Tags, run.Cancellation);
            foreach (var id in scope.SignatureIds)
            {
                if (!bySignature.TryGetValue((scope.ApplicationId, id), out var list)) bySignature[(scope.ApplicationId, id)] = list = [];
                list.Add((tag.Id, scope.UrlIds));
            }
        }
        if (Objects != EventObjects.All && bySignature.Count == 0) yield break;

        var (fromHour, toHour) = (Window.FromMs / MsPerHour, (Window.ToMs + MsPerHour - 1) / MsPerHour);
        // A folded group that reads neither the period nor minutes takes the whole range in one piece: the store
        // sums each key across hours (counting only the quarters inside the range) instead of sending every hour.
        var wholeRange = Folded is { } folded && !NeedsMinutes
            && !folded.Keys.Contains(Window.BucketField) && !folded.Fields.Any(f => f.Aggregator.FieldPaths.Contains(Window.BucketField));
        var grouping = RollupGrouping.Application | (wholeRange ? 0 : RollupGrouping.Hour) | (KeepVisitor ? RollupGrouping.Visitor : 0) | (KeepAccount ? RollupGrouping.Account : 0);
        var ids = bySignature.Keys.Select(k => k.Id).ToHashSet();
        var query = Objects switch
        {
            // Page rows need page loads (events) and every timed event on the page's URLs (minutes).
            EventObjects.Pages => new RollupQuery(run.SubscriptionId, apps, fromHour, toHour, grouping | (NeedsMinutes ? RollupGrouping.Kind : 0) | RollupGrouping.Url)
            { Kinds = NeedsMinutes ? [RollupKind.PageLoad, RollupKind.Click, RollupKind.Other] : [RollupKind.PageLoad], UrlIds = ids, VisitorId = OnlyVisitor, Minutes = NeedsMinutes },
            EventObjects.Features => new RollupQuery(run.SubscriptionId, apps, fromHour, toHour,
                grouping | RollupGrouping.Signature | (bySignature.Values.Any(l => l.Any(f => f.Urls is not null)) ? RollupGrouping.Url : 0))
            { Kinds = [RollupKind.Click], SignatureIds = ids, VisitorId = OnlyVisitor, Minutes = NeedsMinutes },
            EventObjects.TrackTypes => new RollupQuery(run.SubscriptionId, apps, fromHour, toHour, grouping | RollupGrouping.Signature)
            { Kinds = [RollupKind.Track], SignatureIds = ids, VisitorId = OnlyVisitor, Minutes = NeedsMinutes },
            _ => new RollupQuery(run.SubscriptionId, apps, fromHour, toHour, grouping | (NeedsMinutes ? RollupGrouping.Kind : 0))
            { Kinds = NeedsMinutes ? null : countedKinds, VisitorId = OnlyVisitor, Minutes = NeedsMinutes },
        };
        if (wholeRange) query = query with { Quarters = (Window.FromMs, Window.ToMs) };

        List<(string Id, IReadOnlyCollection<long>? Urls)> allEvents = [("allevents", null)];
        var periods = new PeriodFinder(Window);
        await foreach (var total in run.Services.Store.QueryRollupsAsync(query, run.Cancellation))
        {
            foreach (var row in counts.Advance(total.Hour * MsPerHour)) yield return row;
            var matched = Objects switch
            {
                EventObjects.All => allEvents,
                EventObjects.Pages => bySignature.GetValueOrDefault((total.ApplicationId, total.UrlId)),
                _ => bySignature.GetValueOrDefault((total.ApplicationId, total.SignatureId)),
            };
            if (matched is null) continue;
            // Without kind grouping (minutes not needed) every row read is of a counted kind.
            var counted = !NeedsMinutes || Objects switch
            {
                EventObjects.Pages => total.Kind == RollupKind.PageLoad,
                EventObjects.All => countedKinds is null || countedKinds.Contains(total.Kind),
                _ => true,
            };
            var timed = Objects != EventObjects.All || total.Kind != RollupKind.Track;
            if (wholeRange)
            {
                if (counted)
                    foreach (var (id, urls) in matched)
                        if (urls is null || urls.Contains(total.UrlId))
                            counts.Add(total.ApplicationId, Window.FromMs, total.VisitorId, total.AccountId, id, total.Events, 0, 0, total.Kind);
                continue;
            }
            for (var q = 0; q < 4; q++)
            {
                var events = counted ? total.EventsInQuarter(q) : 0;
                var minutes = timed ? (total.Minutes >> (15 * q)) & 0x7FFF : 0;
                if (events == 0 && minutes == 0) continue;
                var start = total.Hour * MsPerHour + q * MsPerQuarter;
                if (start < Window.FromMs || start >= Window.ToMs) continue;
                var period = periods.PeriodOf(start);
                foreach (var (id, urls) in matched)
                    if (urls is null || urls.Contains(total.UrlId))
                        counts.Add(total.ApplicationId, period, total.VisitorId, total.AccountId, id, events, total.Hour, minutes << (15 * q), total.Kind);
            }
        }
        foreach (var row in counts.Flush()) yield return row;
    }

    private async IAsyncEnumerable<Row> FromEventsAsync(IReadOnlyList<long> apps, List<Tag> tags, PeriodCounts counts, PipelineRun run)
    {
        var store = run.Services.Store;
        var identified = new IdentifiedVisitors(run);
        var periods = new PeriodFinder(Window);
        foreach (var app in apps)
        {
            var rules = await TagRules.CreateAsync(run, app, tags.Where(t => t.ApplicationId == app));
            var fields = EventFields.Account | EventFields.Url | EventFields.ElementPath | EventFields.TrackName;
            await foreach (var e in store.ScanAsync(new EventScan(run.SubscriptionId, app, Window.FromMs, Window.ToMs, fields), run.Cancellation))
            {
                foreach (var row in counts.Advance(e.BrowserTime)) yield return row;
                var (kind, _) = Rollup.Classify(e);
                var visitor = await identified.OfAsync(e.VisitorId);
                if (OnlyVisitor is not null && visitor != OnlyVisitor) continue;
                var minuteOfEpoch = e.BrowserTime / 60_000;
                var (hour, minute) = Math.DivRem(minuteOfEpoch, 60);
                var period = periods.PeriodOf(e.BrowserTime);
                var account = e.AccountId ?? "";
                var (keptVisitor, keptAccount, minuteBit) = (KeepVisitor ? visitor : null, KeepAccount ? account : null, 1UL << (int)minute);
                if (Objects == EventObjects.All)
                {
                    var counted = countedKinds is null || countedKinds.Contains(kind);
                    counts.Add(app, period, keptVisitor, keptAccount, "allevents", counted ? 1 : 0, hour, kind != RollupKind.Track ? minuteBit : 0, kind);
                    continue;
                }
                foreach (var tag in rules.Match(kind, e.Url, e.ElementPath, e.TrackName))
                    counts.Add(app, period, keptVisitor, keptAccount, tag.Id, tag is not Page || kind == RollupKind.PageLoad ? 1 : 0, hour, minuteBit, kind);
            }
            foreach (var row in counts.Flush()) yield return row;
        }
    }

    /// <summary>Counts per key for the periods still open; a period's rows go out once the input has
    /// passed its end (inputs come in time order per application), so memory holds about one period.</summary>
    private sealed class PeriodCounts(GroupedEventSource source, GroupFold? fold)
    {
        private sealed class Count
        {
            public long Events;
            public readonly long[] ByKind = new long[4]; // events per rollup kind, for events' per-type counts
            public long Minutes;
            public long Hour = long.MinValue;
            public ulong Bits;
        }

        private readonly SortedDictionary<long, Dictionary<(long App, string? Visitor, string? Account, string Id), Count>> _open = [];
        private long _firstEnd = long.MaxValue;

        public void Add(long app, long period, string? visitor, string? account, string id, long events, long hour, ulong minutes, RollupKind kind)
        {
            if (fold is not null && !source.NeedsMinutes)
            {
                // Sums of events and distinct counts come out the same when added piece by piece, so the folded
                // group takes every counted piece directly, without a count per key first.
                if (events > 0) fold.Add(app, period, visitor, string.IsNullOrEmpty(account) ? null : account, id, new KeyCounts(events, 0, 0, 0, 0));
                return;
            }
            if (!_open.TryGetValue(period, out var keys))
            {
                _open[period] = keys = [];
                _firstEnd = Math.Min(_firstEnd, End(period));
            }
            var key = (app, visitor, account, id);
            if (!keys.TryGetValue(key, out var count)) keys[key] = count = new Count();
            count.Events += events;
            if (kind != 0) count.ByKind[(int)kind - 1] += events;
            if (hour != count.Hour)
            {
                count.Minutes += BitOperations.PopCount(count.Bits);
                (count.Hour, count.Bits) = (hour, 0);
            }
            count.Bits |= minutes;
        }

        /// <summary>The rows of every period that ends by <paramref name="atMs"/>. Keys carry the application, so
        /// inputs ordered by time within each application (one after another) still never split a key.</summary>
        public IEnumerable<Row> Advance(long atMs)
        {
            while (atMs >= _firstEnd)
            {
                var first = _open.First();
                _open.Remove(first.Key);
                _firstEnd = _open.Count == 0 ? long.MaxValue : End(_open.First().Key);
                foreach (var row in Rows(first.Key, first.Value)) yield return row;
            }
        }

        private long End(long period) => TimeSeries.Next(source.Window.Unit, period, source.Window.Zone);

        public IEnumerable<Row> Flush()
        {
            foreach (var (period, keys) in _open)
                foreach (var row in Rows(period, keys)) yield return row;
            _open.Clear();
            _firstEnd = long.MaxValue;
        }

        private IEnumerable<Row> Rows(long period, Dictionary<(long App, string? Visitor, string? Account, string Id), Count> keys)
        {
            foreach (var ((app, visitor, account, id), count) in keys)
            {
                if (count.Events == 0) continue; // a page row needs a page load in the period
                var minutes = count.Minutes + BitOperations.PopCount(count.Bits);
                if (fold is not null)
                {
                    fold.Add(app, period, visitor, string.IsNullOrEmpty(account) ? null : account, id, new KeyCounts(
                        count.Events, minutes, count.ByKind[(int)RollupKind.PageLoad - 1], count.ByKind[(int)RollupKind.Click - 1], count.ByKind[(int)RollupKind.Track - 1]));
                    continue;
                }
                var row = new Row(8, StringComparer.Ordinal)
                {
                    ["appId"] = (double)app,
                    [source.Window.BucketField] = (double)period,
                };
                if (source.KeepVisitor) row["visitorId"] = visitor;
                if (source.KeepAccount) row["accountId"] = string.IsNullOrEmpty(account) ? null : account;
                row[source.ObjectField] = id;
                row["numEvents"] = (double)count.Events;
                row["numMinutes"] = (double)minutes;
                if (source.Objects == EventObjects.All)
                {
                    row["numPageLoads"] = (double)count.ByKind[(int)RollupKind.PageLoad - 1];
                    row["numClicks"] = (double)count.ByKind[(int)RollupKind.Click - 1];
                    row["numTrackEvents"] = (double)count.ByKind[(int)RollupKind.Track - 1];
                }
                yield return row;
            }
        }
    }

    /// <summary>A <see cref="GroupStage"/> done while counting (see <see cref="Folded"/>): the same keys, fields,
    /// order and values the stage would give for the source's rows.</summary>
    private sealed class GroupFold(GroupStage group, PipelineRun run, string bucketField, string objectField)
    {
        /// <summary>One group's running values: sums, and for (conditional) distinct counts the values counted and,
        /// when the condition reads only the counted field and the group's keys, the values it turned down.</summary>
        private sealed class State(object?[] key, GroupStage group)
        {
            public readonly object?[] Key = key;
            public readonly double[] Sums = new double[group.Fields.Count];
            public readonly HashSet<object?>?[] Distinct = [.. group.Fields.Select(f => f.Aggregator.Name is "count" or "countIf" ? new HashSet<object?>(ValueComparer.Instance) : null)];
            public readonly HashSet<object?>?[] TurnedDown = new HashSet<object?>?[group.Fields.Count];
        }

        private readonly Dictionary<ValueKey, State> _groups = [];
        private readonly object?[] _values = new object?[group.Keys.Count];
        private readonly Row _keyRow = new(StringComparer.Ordinal);
        private readonly bool[] _stableCondition = [.. group.Fields.Select(f => f.Aggregator.Condition is { } c
            && c.FieldPaths.All(path => group.Keys.Contains(path) || f.Aggregator.Arguments.Take(1).SelectMany(a => a.FieldPaths).Contains(path)))];
        private (long App, long Period, string? Visitor, string? Account, string Id)? _lastPiece;
        private State? _lastState;

        public void Add(long app, long period, string? visitor, string? account, string id, KeyCounts counts)
        {
            object? Value(string field) =>
                field == bucketField ? (double)period
                : field == "appId" ? (double)app
                : field == "visitorId" ? visitor
                : field == "accountId" ? account
                : field == objectField ? id
                : null;
            // Pieces of one key arrive together (the quarters of an hour, a visitor's rows): the last one's group is tried first.
            var piece = (app, period, visitor, account, id);
            var state = _lastPiece == piece ? _lastState! : Lookup();
            (_lastPiece, _lastState) = (piece, state);
            var keyRowFilled = false; // what a countIf condition reads: the key fields, filled only when one asks
            for (var i = 0; i < group.Fields.Count; i++)
            {
                var aggregator = group.Fields[i].Aggregator;
                if (state.Distinct[i] is not { } seen)
                {
                    state.Sums[i] += counts.Of(((Field)aggregator.Arguments[0].Root).Path);
                    continue;
                }
                if (Value(((Field)aggregator.Arguments[0].Root).Path) is not { } value) continue;
                if (aggregator.Condition is not { } condition)
                {
                    seen.Add(value);
                    continue;
                }
                if (seen.Contains(value) || state.TurnedDown[i]?.Contains(value) == true) continue;
                if (!keyRowFilled)
                {
                    (_keyRow[bucketField], _keyRow["appId"], _keyRow["visitorId"], _keyRow["accountId"], _keyRow[objectField]) =
                        ((double)period, (double)app, visitor, account, id);
                    keyRowFilled = true;
                }
                if (Expression.IsTrue(condition.Evaluate(_keyRow, run.Expressions))) seen.Add(value);
                else if (_stableCondition[i]) (state.TurnedDown[i] ??= new HashSet<object?>(ValueComparer.Instance)).Add(value);
            }

            State Lookup()
            {
                for (var i = 0; i < _values.Length; i++) _values[i] = Value(group.Keys[i]);
                var key = new ValueKey(_values.Length == 1 ? _values[0] : _values.ToList());
                if (!_groups.TryGetValue(key, out var found))
                {
                    _groups[key] = found = new State((object?[])_values.Clone(), group);
                    run.Hold(_groups.Count, group.Index);
                }
                return found;
            }
        }

        public IEnumerable<Row> Rows()
        {
            if (group.IsReduce && _groups.Count == 0) _groups[default] = new State([], group);
            foreach (var state in _groups.Values)
            {
                var row = new Row(group.Keys.Count + group.Fields.Count, StringComparer.Ordinal);
                for (var i = 0; i < group.Keys.Count; i++) Values.Set(row, group.Keys[i], state.Key[i]);
                for (var i = 0; i < group.Fields.Count; i++) Values.Set(row, group.Fields[i].Field, state.Distinct[i] is { } seen ? seen.Count : state.Sums[i]);
                yield return row;
            }
        }
    }

    /// <summary>A key's counts as its row would carry them (for a piece of a key, its events only).</summary>
    private readonly record struct KeyCounts(long Events, long Minutes, long PageLoads, long Clicks, long TrackEvents)
    {
        public long Of(string field) => field switch
        {
            "numEvents" => Events,
            "numMinutes" => Minutes,
            "numPageLoads" => PageLoads,
            "numClicks" => Clicks,
            "numTrackEvents" => TrackEvents,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Only count fields fold."),
        };
    }
}

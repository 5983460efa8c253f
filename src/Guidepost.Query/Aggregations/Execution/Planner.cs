using Guidepost.Query.Aggregations.Pipeline;
using Guidepost.Query.Aggregations.Sources;
using Guidepost.Query.Aggregations.Expressions;

namespace Guidepost.Query.Aggregations.Execution;

/// <summary>Decides what the store does for a pipeline. The source always reads only its time range,
/// applications and objects. Beyond that:
/// <list type="bullet">
/// <item>a leading <c>visitorId == "…"</c> filter reads one visitor (and, on its own before a group, is then
/// dropped);</item>
/// <item>the visitor or account list, which comes in id order, drops a leading sort by id, and a leading
/// <c>visitorId &gt; "…"</c> filter starts the store's read after that id (how clients page);</item>
/// <item>when a grouped event source feeds a <c>group</c> or <c>reduce</c> (through filters on other fields
/// than the counts) that needs neither the visitor nor the account, nor minutes, the store groups without
/// them, which is where most of the work goes;</item>
/// <item>when that group comes right after the source and only sums counts or counts key fields, the source
/// does it while counting instead of building a row per visitor and period;</item>
/// <item><c>singleEvents</c> builds only the fields the stages up to the first group, select or count read;</item>
/// <item>a sort followed by a limit keeps only that many rows, in a heap.</item>
/// </list>
/// None of this changes an answer: with pushdown off the engine computes the same rows from raw events and
/// runs every stage, and a property test holds the two together.</summary>
public static class Planner
{
    public static IReadOnlyList<Stage> Plan(IReadOnlyList<Stage> stages, PipelineRun run)
    {
        if (!run.Pushdown || stages.Count == 0) return stages;
        for (var i = 0; i + 1 < stages.Count; i++)
            if (stages[i] is SortStage sort && stages[i + 1] is LimitStage limit) sort.Keep = limit.Count;
        switch (stages[0])
        {
            case GroupedEventSource events:
                return PlanEvents(events, stages);
            case EntitySource entities:
                return PlanEntities(entities, stages);
            case SingleEventsSource { Name: "singleEvents" } events:
                events.Fields = ReadFields(stages);
                return stages;
        }
        return stages;
    }

    /// <summary>The fields of the source's rows that the stages read before a stage that reads nothing else
    /// of the row (a group, select or count), or null when a row could reach the output (or a stage whose
    /// reads are not spelled out) as it is.</summary>
    private static HashSet<string>? ReadFields(IReadOnlyList<Stage> stages)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        void Add(IEnumerable<string> paths)
        {
            foreach (var path in paths) read.Add(path.Split('.', '[')[0]);
        }
        foreach (var stage in stages.Skip(1))
            switch (stage)
            {
                case FilterStage filter:
                    Add(filter.Condition.FieldPaths);
                    break;
                case IdentifiedStage identified:
                    Add([identified.Field]);
                    break;
                case EvalStage eval:
                    Add(eval.Fields.SelectMany(f => f.Value.FieldPaths));
                    break;
                case GroupStage group:
                    Add(group.Keys);
                    Add(group.Fields.SelectMany(f => f.Aggregator.FieldPaths));
                    return read;
                case SelectStage select:
                    Add(select.Fields.SelectMany(f => f.Value.FieldPaths));
                    return read;
                case CountStage:
                    return read;
                default:
                    return null;
            }
        return null;
    }

    /// <summary>The visitor or account list comes in id order: a sort by id among the leading stages is
    /// dropped, and an <c>id &gt; "…"</c> filter among them starts the store's read after that id.</summary>
    private static IReadOnlyList<Stage> PlanEntities(EntitySource source, IReadOnlyList<Stage> stages)
    {
        var leading = stages.Skip(1).TakeWhile(s => s is FilterStage or SortStage).ToList();
        source.After = leading.OfType<FilterStage>().Select(f => After(f, source.IdField)).FirstOrDefault(a => a is not null);
        var sortById = leading.OfType<SortStage>().FirstOrDefault(s => s.Keys is [{ Descending: false } key] && key.Field == source.IdField);
        return sortById is null || leading.OfType<SortStage>().Count() > 1 ? stages : [.. stages.Where(s => s != sortById)];
    }

    private static IReadOnlyList<Stage> PlanEvents(GroupedEventSource source, IReadOnlyList<Stage> stages)
    {
        source.KeepVisitor = source.KeepAccount = source.NeedsMinutes = true;
        source.Folded = null;
        var filters = stages.Skip(1).TakeWhile(s => s is FilterStage or IdentifiedStage).ToList();
        source.OnlyVisitor = filters.OfType<FilterStage>().Select(f => EqualsLiteral(f.Condition.Root, "visitorId")).FirstOrDefault(v => v is not null);
        if (stages.Skip(1 + filters.Count).FirstOrDefault() is not GroupStage group) return stages;
        // A filter that is only `visitorId == "…"` says nothing the store's read of that one visitor does not.
        var redundant = filters.OfType<FilterStage>()
            .Where(f => f.Condition.Root is Binary { Operator: "==" } && EqualsLiteral(f.Condition.Root, "visitorId") == source.OnlyVisitor).ToList<Stage>();
        if (redundant.Count > 0)
        {
            filters = [.. filters.Except(redundant)];
            stages = [.. stages.Except(redundant)];
        }

        if (Reduced(filters, group) is { } read)
        {
            source.NeedsMinutes = false;
            source.KeepVisitor = read.Contains("visitorId");
            source.KeepAccount = read.Contains("accountId");
        }
        if (filters.Count > 0 || !Foldable(group, source)) return stages;
        source.Folded = group;
        return [.. stages.Where(s => s != group)];
    }

    /// <summary>The fields the filters and group read when the store may merge rows for them (nothing reads a
    /// count but sums of <c>numEvents</c>, and distinct counts under conditions on the keys alone), or null.</summary>
    private static HashSet<string>? Reduced(List<Stage> filters, GroupStage group)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            if (filter is FilterStage f) read.UnionWith(f.Condition.FieldPaths);
            if (filter is IdentifiedStage i) read.Add(i.Field);
        }
        // Merged rows carry larger counts, so a filter on them would keep other rows.
        if (read.Overlaps(GroupedEventSource.CountFields)) return null;
        read.UnionWith(group.Keys);
        foreach (var (_, aggregator) in group.Fields)
        {
            var fields = aggregator.FieldPaths.ToList();
            // Only sums of event counts and distinct counts stay the same when rows merge; anything else (row
            // counts, minutes, averages, lists) needs the full grouping.
            var safe = aggregator.Name switch
            {
                "sum" => fields.All(f => f == "numEvents"),
                "count" or "countIf" => !aggregator.CountsRows && !fields.Any(GroupedEventSource.CountFields.Contains),
                _ => false,
            };
            if (!safe) return null;
            read.UnionWith(fields);
        }
        return read.Overlaps(GroupedEventSource.CountFields.Except(["numEvents"])) ? null : read;
    }

    /// <summary>Whether the source can do the group while counting: keys among its key fields, and each field a
    /// sum of one of its counts or a distinct count of one key field (under a condition on key fields alone).</summary>
    private static bool Foldable(GroupStage group, GroupedEventSource source)
    {
        var keyFields = new HashSet<string>(StringComparer.Ordinal) { source.Window.BucketField, "appId", "visitorId", "accountId", source.ObjectField };
        bool Counted(string field) => field is "numEvents" or "numMinutes" || (source.Objects == EventObjects.All && GroupedEventSource.CountFields.Contains(field));
        return group.Keys.All(keyFields.Contains) && group.Fields.All(f => f.Aggregator switch
        {
            { Name: "sum", Condition: null, Arguments: [{ Root: Field field }] } => Counted(field.Path),
            { Name: "count" or "countIf", Arguments: [{ Root: Field field }] } a => keyFields.Contains(field.Path) && (a.Condition?.FieldPaths.All(keyFields.Contains) ?? true),
            _ => false,
        });
    }

    /// <summary>The literal of <c>field == "literal"</c> (either way round), or null.</summary>
    private static string? EqualsLiteral(Node node, string field) => node switch
    {
        Binary { Operator: "==", Left: Field f, Right: Literal { Value: string s } } when f.Path == field => s,
        Binary { Operator: "==", Left: Literal { Value: string s }, Right: Field f } when f.Path == field => s,
        Binary { Operator: "&&" } both => EqualsLiteral(both.Left, field) ?? EqualsLiteral(both.Right, field),
        _ => null,
    };

    /// <summary>The literal of <c>field &gt; "literal"</c>, or null.</summary>
    private static string? After(FilterStage filter, string field) => filter.Condition.Root switch
    {
        Binary { Operator: ">", Left: Field f, Right: Literal { Value: string s } } when f.Path == field => s,
        Binary { Operator: "<", Left: Literal { Value: string s }, Right: Field f } when f.Path == field => s,
        _ => null,
    };
}

using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Query.Aggregations.Sources;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary>Turns a pipeline's JSON into stages, or fails naming the stage, the problem and what was
/// expected. Nothing runs until the whole pipeline (nested ones included) has parsed.</summary>
public sealed class PipelineParser(ExpressionContext context)
{
    public static readonly IReadOnlyList<string> Operators =
    [
        "filter", "select", "eval", "set", "sort", "limit", "count", "reduce", "group", "cat", "identified", "unwind", "switch",
        "fork", "spawn", "join", "merge", "bulkExpand", "expand", "segment", "unmarshal", "accumulate", "useragent",
        "pages", "features", "matchRules", "compute", "itemSeen", "expandList", "retention",
    ];

    public static readonly IReadOnlyList<string> SourceNames =
    [
        "events", "pageEvents", "featureEvents", "trackEvents", "singleEvents", "guideEvents", "pollEvents", "guidesSeen", "guidesSeenEver",
        "pollsSeen", "pollsSeenEver", "visitors", "accounts",
        "doNotProcessVisitors", "doNotProcessAccounts", "pages", "features", "trackTypes", "guides", "apps", "const", "timespan",
    ];

    /// <param name="hasInput">True for a fork branch, which starts from the rows of the stage before; otherwise
    /// the first stage must be a source (or <c>spawn</c>).</param>
    public Pipeline Parse(JsonElement pipeline, bool hasInput = false, string where = "pipeline")
    {
        if (pipeline.ValueKind != JsonValueKind.Array)
            throw AggregationException.Invalid($"{where} must be an array of stages such as [{{\"source\":{{\"visitors\":null}}}},{{\"limit\":10}}]; got {Kind(pipeline)}");
        var elements = pipeline.EnumerateArray().ToList();
        if (elements.Count == 0) throw AggregationException.Invalid($"{where} is empty; it needs at least {(hasInput ? "one stage (use {\"cat\":null} to pass rows through)" : "a source stage")}");
        var stages = new List<Stage>();
        for (var i = 0; i < elements.Count; i++)
        {
            var stage = ParseStage(elements[i], i);
            if (i == 0 && !hasInput && stage is not SourceStage)
                throw AggregationException.Invalid($"a pipeline starts with a source such as {{\"source\":{{\"visitors\":null}}}}; got '{Name(elements[i])}'", 0);
            if (i > 0 && stage is SourceStage)
                throw AggregationException.Invalid($"'{Name(elements[i])}' starts a pipeline; it can only be the first stage (use spawn or merge to combine sources)", i);
            stages.Add(stage);
        }
        return new Pipeline(stages);
    }

    private static string Name(JsonElement stage) =>
        stage.ValueKind == JsonValueKind.Object ? string.Join("+", stage.EnumerateObject().Select(p => p.Name)) : Kind(stage);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        JsonValueKind.Undefined => "nothing",
        _ => "a boolean",
    };

    private Stage ParseStage(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid($"a stage must be an object with one operator, such as {{\"limit\":10}}; got {Kind(element)}", index);
        var properties = element.EnumerateObject().ToList();
        if (properties.Count == 0) throw AggregationException.Invalid("the stage is empty; expected one operator such as {\"filter\":\"…\"}", index);
        if (properties.Any(p => p.Name == "source")) return ParseSource(properties, index);
        if (properties.Count > 1)
            throw AggregationException.Invalid($"a stage has exactly one operator; got {string.Join(", ", properties.Select(p => p.Name))} (put each in its own stage)", index);
        var (name, value) = (properties[0].Name, properties[0].Value);
        return name switch
        {
            "filter" => new FilterStage(index, Expr(value, index, "filter")),
            "select" => new SelectStage(index, Expressions(value, index, "select")),
            "eval" => ParseEval(value, index),
            "set" => new SetStage(index, Object(value, index, "set").Select(p => (p.Name, Values.FromJson(p.Value))).ToList()),
            "sort" => new SortStage(index, Strings(value, index, "sort", "a list of field names, - for descending: [\"-numEvents\",\"visitorId\"]")
                .Select(k => k.StartsWith('-') ? (k[1..], true) : (k.TrimStart('+'), false)).ToList()),
            "limit" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0
                ? new LimitStage(index, n)
                : throw AggregationException.Invalid($"limit must be a whole number ≥ 0; got {value.GetRawText()}", index),
            "count" => value.ValueKind == JsonValueKind.Null ? new CountStage(index) : throw AggregationException.Invalid("count takes null: {\"count\":null}", index),
            "reduce" => new GroupStage(index, [], AggregatorFields(value, index, "reduce"), reduce: true),
            "group" => ParseGroup(value, index),
            "cat" => new CatStage(index),
            "identified" => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } field
                ? new IdentifiedStage(index, field.TrimStart('!'), field.StartsWith('!'))
                : throw AggregationException.Invalid("identified takes a field name: {\"identified\":\"visitorId\"} (or \"!visitorId\" for anonymous ones)", index),
            "unwind" => ParseUnwind(value, index),
            "switch" => ParseSwitch(value, index),
            "fork" => new ForkStage(index, Pipelines(value, index, "fork", hasInput: true)),
            "spawn" => new SpawnStage(index, Pipelines(value, index, "spawn", hasInput: false)),
            "join" => ParseJoin(value, index),
            "merge" => ParseMerge(value, index),
            "bulkExpand" => ParseExpand(value, index, "bulkExpand"),
            "expand" => ParseExpand(value, index, "expand"),
            "segment" => Object(value, index, "segment").FirstOrDefault(p => p.Name == "id") is { Value.ValueKind: JsonValueKind.String } id
                ? new SegmentStage(index, id.Value.GetString()!)
                : throw AggregationException.Invalid("segment takes a saved segment's id: {\"segment\":{\"id\":\"…\"}}", index),
            "unmarshal" => new UnmarshalStage(index, Fields(value, index, "unmarshal")),
            "useragent" => new UserAgentStage(index, Fields(value, index, "useragent")),
            "accumulate" => new AccumulateStage(index, Fields(value, index, "accumulate")),
            "pes" or "adoption" or "growth" or "stickiness" => ParseEngagement(name, value, index),
            "pages" => ParseTaggedIds(value, index, TagKind.Page, "pageIds", "url"),
            "features" => ParseTaggedIds(value, index, TagKind.Feature, "featureIds", "elementPath"),
            "matchRules" => MatchRulesStage.Parse(value, index),
            "compute" => ComputeStage.Parse(value, index),
            "itemSeen" => ParseItemSeen(value, index),
            "expandList" => ExpandListStage.Parse(value, index),
            "retention" => RetentionStage.Parse(value, index, context),
            "sessionReplays" =>
                throw AggregationException.Invalid($"'{name}' is not supported: Guidepost records no session replays; the operators are {string.Join(", ", Operators)}", index),
            _ => throw AggregationException.Invalid($"unknown operator '{name}'; expected one of source, {string.Join(", ", Operators)}", index),
        };
    }

    private Stage ParseSource(List<JsonProperty> properties, int index)
    {
        if (properties.Count > 1) throw AggregationException.Invalid("the source stage has only the key \"source\"", index);
        var spec = properties[0].Value;
        if (spec.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid("source must be an object such as {\"pageEvents\":null,\"timeSeries\":{…}}", index);
        var names = spec.EnumerateObject().Where(p => p.Name != "timeSeries").ToList();
        if (names.Count != 1)
            throw AggregationException.Invalid($"source names exactly one source besides timeSeries; got {(names.Count == 0 ? "none" : string.Join(", ", names.Select(n => n.Name)))}; expected one of {string.Join(", ", SourceNames)}", index);
        var (name, value) = (names[0].Name, names[0].Value);
        if (name is "emailEvents" or "vocItems" or "votes")
            throw AggregationException.Invalid($"source '{name}' is not supported: Guidepost has no {(name == "emailEvents" ? "email campaigns" : "feedback items or votes")}; the sources are {string.Join(", ", SourceNames)}", index);
        var parameters = new SourceParameters(name, value, index);
        var hasWindow = spec.TryGetProperty("timeSeries", out var timeSeries);
        var needsWindow = name is "events" or "pageEvents" or "featureEvents" or "trackEvents" or "singleEvents" or "guideEvents" or "pollEvents"
            or "guidesSeen" or "pollsSeen";
        if (needsWindow && !hasWindow)
            throw AggregationException.Invalid($"source '{name}' needs a timeSeries, such as {{\"period\":\"dayRange\",\"first\":\"now()\",\"count\":-30}}", index);
        if (!needsWindow && hasWindow && name != "const")
            throw AggregationException.Invalid($"source '{name}' is a snapshot and takes no timeSeries", index);
        var window = hasWindow ? TimeSeries.Parse(timeSeries, index, context) : null;
        if (window is { Iterative: true }) throw AggregationException.Invalid("iterative periods (hourly, daily, …) apply to the whole request; use the request's first source", index);
        switch (name)
        {
            case "events":
                parameters.Allow("appId", "blacklist", "eventClass", "types");
                return new GroupedEventSource(index, EventObjects.All, parameters, window!, null, CountedKinds(parameters));
            case "pageEvents":
                parameters.Allow("appId", "blacklist", "pageId", "pageIds");
                return new GroupedEventSource(index, EventObjects.Pages, parameters, window!, ObjectIds(parameters, "pageId", "pageIds"));
            case "featureEvents":
                parameters.Allow("appId", "blacklist", "featureId", "featureIds", "ignoreFrustration");
                return new GroupedEventSource(index, EventObjects.Features, parameters, window!, ObjectIds(parameters, "featureId", "featureIds"));
            case "trackEvents":
                parameters.Allow("appId", "blacklist", "trackTypeId", "trackTypeIds");
                return new GroupedEventSource(index, EventObjects.TrackTypes, parameters, window!, ObjectIds(parameters, "trackTypeId", "trackTypeIds"));
            case "singleEvents":
                parameters.Allow("appId", "blacklist", "eventClass", "reverseTime");
                return new SingleEventsSource(index, name, parameters, window!);
            case "guideEvents":
                parameters.Allow("appId", "blacklist", "guideId", "guideStepId");
                return new SingleEventsSource(index, name, parameters, window!);
            case "pollEvents":
                parameters.Allow("appId", "blacklist", "guideId", "pollId");
                return new SingleEventsSource(index, name, parameters, window!);
            case "guidesSeen" or "guidesSeenEver":
                parameters.Allow("appId", "blacklist", "guideId", "guideStepId");
                return new SeenSource(index, name, parameters, window);
            case "pollsSeen" or "pollsSeenEver":
                parameters.Allow("appId", "blacklist", "guideId", "pollId");
                return new SeenSource(index, name, parameters, window);
            case "visitors" or "doNotProcessVisitors":
                parameters.Allow("since", "identified", "blacklist");
                return new EntitySource(index, EntityKind.Visitor, parameters, name != "visitors");
            case "accounts" or "doNotProcessAccounts":
                parameters.Allow("since", "blacklist");
                return new EntitySource(index, EntityKind.Account, parameters, name != "accounts");
            case "pages":
                parameters.Allow("appId", "pageId");
                return new TagSource(index, TagKind.Page, parameters, "pageId");
            case "features":
                parameters.Allow("appId", "featureId");
                return new TagSource(index, TagKind.Feature, parameters, "featureId");
            case "trackTypes":
                parameters.Allow("appId", "trackTypeId");
                return new TagSource(index, TagKind.TrackType, parameters, "trackTypeId");
            case "guides":
                parameters.Allow("appId", "guideId");
                return new TagSource(index, TagKind.Guide, parameters, "guideId");
            case "timespan":
                parameters.Allow("kind", "appId", "blacklist");
                return new TimespanSource(index, parameters, parameters.String("kind") switch
                {
                    null or "visitor" => EntityKind.Visitor,
                    "account" => EntityKind.Account,
                    var other => throw AggregationException.Invalid($"timespan.kind must be \"visitor\" or \"account\"; got \"{other}\"", index),
                });
            case "apps":
                parameters.Allow();
                return new ApplicationsSource(index);
            case "const":
                if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Object))
                    throw AggregationException.Invalid("const takes a list of row objects: {\"const\":[{\"a\":1}]}", index);
                return new ConstSource(index, [.. value.EnumerateArray().Select(r => (Row)Values.FromJson(r)!)]);
            default:
                throw AggregationException.Invalid($"unknown source '{name}'; expected one of {string.Join(", ", SourceNames)}", index);
        }
    }

    /// <summary><c>{"pes": {"appId", "firstDay": "now()", "dayCount": -30, "groupBy": "account"}}</c>.</summary>
    private EngagementSource ParseEngagement(string name, JsonElement value, int index)
    {
        var parameters = new SourceParameters(name, value, index);
        parameters.Allow("appId", "firstDay", "dayCount", "groupBy", "blacklist", "identified");
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("firstDay", out var firstDay) || !value.TryGetProperty("dayCount", out var dayCount))
            throw AggregationException.Invalid($"{name} needs firstDay and dayCount, such as {{\"{name}\":{{\"firstDay\":\"now()\",\"dayCount\":-30}}}}", index);
        var window = TimeSeries.Parse(System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement>
        {
            ["period"] = System.Text.Json.JsonSerializer.SerializeToElement("dayRange"), ["first"] = firstDay, ["count"] = dayCount,
        }), index, context);
        if (Math.Abs(dayCount.GetInt32()) > EngagementSource.MaxDays)
            throw AggregationException.Invalid($"{name}.dayCount covers at most {EngagementSource.MaxDays} days", index);
        var level = parameters.String("groupBy") switch
        {
            null or "visitor" => EntityKind.Visitor,
            "account" => EntityKind.Account,
            var other => throw AggregationException.Invalid($"{name}.groupBy must be \"visitor\" or \"account\"; got \"{other}\"", index),
        };
        return new EngagementSource(index, name, parameters, window, level);
    }

    /// <summary><c>events.types</c>, Guidepost's own: the event types <c>numEvents</c> counts (load, click, track).</summary>
    private static IReadOnlyCollection<RollupKind>? CountedKinds(SourceParameters parameters) =>
        parameters.Strings("types")?.Select(t => t switch
        {
            "load" => RollupKind.PageLoad,
            "click" => RollupKind.Click,
            "track" => RollupKind.Track,
            _ => throw AggregationException.Invalid($"events.types takes \"load\", \"click\" and \"track\"; got \"{t}\"", parameters.Stage),
        }).ToHashSet();

    private static IReadOnlyList<string>? ObjectIds(SourceParameters parameters, string single, string plural)
    {
        var ids = parameters.Ids(single, plural);
        if (ids is not null && parameters.Has("appId"))
            throw AggregationException.Invalid($"{parameters.Source}: give {single} or appId, not both (the object names its application)", parameters.Stage);
        return ids;
    }

    private Expression Expr(JsonElement value, int index, string where)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw AggregationException.Invalid($"{where} takes an expression string; got {Kind(value)} {value.GetRawText()}", index);
        return Expr(value.GetString()!, index, where);
    }

    private static Expression Expr(string text, int index, string where)
    {
        try
        {
            return Expression.Parse(text);
        }
        catch (ExpressionException e)
        {
            throw AggregationException.Invalid($"{where}: '{text}' is not a valid expression: {e.Message}", index);
        }
    }

    private static List<JsonProperty> Object(JsonElement value, int index, string where)
    {
        if (value.ValueKind != JsonValueKind.Object) throw AggregationException.Invalid($"{where} takes an object; got {Kind(value)}", index);
        return [.. value.EnumerateObject()];
    }

    private List<(string, Expression)> Expressions(JsonElement value, int index, string where) =>
        [.. Object(value, index, where).Select(p => (p.Name, Expr(p.Value, index, $"{where}.{p.Name}")))];

    private static List<string> Strings(JsonElement value, int index, string where, string expected)
    {
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw AggregationException.Invalid($"{where} takes {expected}; got {value.GetRawText()}", index);
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static List<(string, string)> Fields(JsonElement value, int index, string where) =>
        [.. Object(value, index, where).Select(p => p.Value.ValueKind == JsonValueKind.String
            ? (p.Name, p.Value.GetString()!)
            : throw AggregationException.Invalid($"{where}.{p.Name} takes a field name", index))];

    private static ItemSeenStage ParseItemSeen(JsonElement value, int index)
    {
        var fields = Object(value, index, "itemSeen");
        if (fields is not [{ Value.ValueKind: JsonValueKind.Object } only])
            throw AggregationException.Invalid("itemSeen takes one output field and the object: {\"itemSeenInfo\":{\"pageId\":\"…\"}}", index);
        return new ItemSeenStage(index, only.Name, JourneyStep.Parse(only.Value, index, $"itemSeen.{only.Name}"));
    }

    private static TaggedIdsStage ParseTaggedIds(JsonElement value, int index, TagKind kind, string exampleOutput, string exampleInput)
    {
        var name = kind == TagKind.Page ? "pages" : "features";
        var fields = Object(value, index, name);
        if (fields is not [{ Value.ValueKind: JsonValueKind.String } only])
            throw AggregationException.Invalid($"{name} takes one output field and the field it reads: {{\"{exampleOutput}\":\"{exampleInput}\"}}", index);
        return new TaggedIdsStage(index, kind, only.Name, only.Value.GetString()!);
    }

    private EvalStage ParseEval(JsonElement value, int index)
    {
        var fields = Expressions(value, index, "eval");
        foreach (var (field, _) in fields)
            if (EvalStage.ReadOnlyFields.Contains(field))
                throw AggregationException.Invalid($"eval cannot overwrite the read-only field '{field}'; write it to a new name", index);
        return new EvalStage(index, fields);
    }

    private GroupStage ParseGroup(JsonElement value, int index)
    {
        var spec = Object(value, index, "group");
        var keys = spec.FirstOrDefault(p => p.Name == "group") is { Value.ValueKind: not JsonValueKind.Undefined } g && g.Value.ValueKind != JsonValueKind.Null
            ? Strings(g.Value, index, "group.group", "a list of key fields: [\"visitorId\",\"day\"]")
            : [];
        foreach (var property in spec)
            if (property.Name is not ("group" or "fields"))
                throw AggregationException.Invalid($"group takes \"group\" (key fields) and \"fields\" (aggregators); got '{property.Name}'", index);
        var fields = spec.FirstOrDefault(p => p.Name == "fields") is { Value.ValueKind: JsonValueKind.Object or JsonValueKind.Array } f
            ? AggregatorFields(f.Value, index, "group.fields")
            : [];
        return new GroupStage(index, keys, fields, reduce: false);
    }

    /// <summary><c>{"name": {"sum": "expr"}, …}</c> or the list form <c>[{"name": {…}}, …]</c>.</summary>
    private List<(string, Aggregator)> AggregatorFields(JsonElement value, int index, string where)
    {
        var entries = value.ValueKind switch
        {
            JsonValueKind.Object => value.EnumerateObject().ToList(),
            JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object) =>
                value.EnumerateArray().SelectMany(e => e.EnumerateObject()).ToList(),
            _ => throw AggregationException.Invalid($"{where} takes {{\"name\": {{\"sum\": \"numEvents\"}}}} or a list of such objects; got {Kind(value)}", index),
        };
        return [.. entries.Select(e => (e.Name, ParseAggregator(e.Value, index, $"{where}.{e.Name}")))];
    }

    private Aggregator ParseAggregator(JsonElement value, int index, string where)
    {
        var ops = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().ToList() : [];
        if (ops.Count != 1)
            throw AggregationException.Invalid($"{where} must be one aggregator such as {{\"count\":\"visitorId\"}}; expected one of {string.Join(", ", Aggregator.Names)}", index);
        var (name, argument) = (ops[0].Name, ops[0].Value);
        if (!Aggregator.Names.Contains(name))
            throw AggregationException.Invalid($"{where}: unknown aggregator '{name}'; expected one of {string.Join(", ", Aggregator.Names)}", index);
        if (name == "funnel") return Aggregator.Create(FunnelAggregator.Parse(argument, index, $"{where}.funnel"));
        if (name == "path") return Aggregator.Create(PathAggregator.Parse(argument, index, $"{where}.path"));
        if (name == "treeify") return Aggregator.Create(TreeifyAggregator.Parse(argument, index, $"{where}.treeify"));
        if (name == "percentiles") return ParsePercentiles(argument, index, where);
        if (name == "listIf")
        {
            var spec = Object(argument, index, where);
            if (spec.Count != 2 || spec.FirstOrDefault(p => p.Name == "if").Value.ValueKind != JsonValueKind.String
                || spec.FirstOrDefault(p => p.Name == "list").Value.ValueKind != JsonValueKind.String)
                throw AggregationException.Invalid($"{where}: listIf takes {{\"list\": \"expression\", \"if\": \"expression\"}}", index);
            return Aggregator.Create(name, [Expr(spec.First(p => p.Name == "list").Value, index, $"{where}.list")], Expr(spec.First(p => p.Name == "if").Value, index, $"{where}.if"));
        }
        if (name == "countIf")
        {
            var spec = Object(argument, index, where);
            var condition = spec.FirstOrDefault(p => p.Name == "if");
            if (condition.Value.ValueKind != JsonValueKind.String)
                throw AggregationException.Invalid($"{where}: countIf takes {{\"count\": field or null, \"if\": \"expression\"}}", index);
            var counted = spec.FirstOrDefault(p => p.Name == "count").Value;
            return Aggregator.Create(name, Arguments(counted, index, where), Expr(condition.Value, index, $"{where}.if"));
        }
        if (name != "count" && argument.ValueKind != JsonValueKind.String)
            throw AggregationException.Invalid($"{where}: {name} takes an expression string such as \"numEvents\"; got {Kind(argument)}", index);
        return Aggregator.Create(name, Arguments(argument, index, where));
    }

    /// <summary><c>{"percentiles": {"field": "numEvents", "p50": 50, "p90": 90}}</c>.</summary>
    private Aggregator ParsePercentiles(JsonElement argument, int index, string where)
    {
        const string Expected = "{\"percentiles\": {\"field\": \"numEvents\", \"p50\": 50, \"p90\": 90}}";
        var spec = Object(argument, index, where);
        if (spec.FirstOrDefault(p => p.Name == "field").Value is not { ValueKind: JsonValueKind.String } field)
            throw AggregationException.Invalid($"{where}: percentiles takes the value as \"field\" and names for percents: {Expected}", index);
        var percentiles = new List<(string, double)>();
        foreach (var p in spec.Where(p => p.Name != "field"))
            percentiles.Add(p.Value.ValueKind == JsonValueKind.Number && p.Value.GetDouble() is >= 0 and <= 100 and var percent
                ? (p.Name, percent)
                : throw AggregationException.Invalid($"{where}.percentiles.{p.Name} must be a percent from 0 to 100; got {p.Value.GetRawText()}", index));
        if (percentiles.Count == 0) throw AggregationException.Invalid($"{where}: percentiles names at least one percent: {Expected}", index);
        return Aggregator.CreatePercentiles(Expr(field, index, $"{where}.field"), percentiles);
    }

    private List<Expression> Arguments(JsonElement value, int index, string where) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        JsonValueKind.String => [Expr(value, index, where)],
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => [.. value.EnumerateArray().Select(v => Expr(v, index, where))],
        _ => throw AggregationException.Invalid($"{where} takes null, a field or a list of fields; got {value.GetRawText()}", index),
    };

    private static UnwindStage ParseUnwind(JsonElement value, int index)
    {
        var spec = Object(value, index, "unwind");
        string? Text(string name) => spec.FirstOrDefault(p => p.Name == name).Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        bool Flag(string name) => spec.FirstOrDefault(p => p.Name == name).Value.ValueKind == JsonValueKind.True;
        var field = Text("field") ?? throw AggregationException.Invalid("unwind needs \"field\": the list field to unwind", index);
        return new UnwindStage(index, field, Text("index"), Flag("keepEmpty"), Flag("prefix"));
    }

    private static SwitchStage ParseSwitch(JsonElement value, int index)
    {
        const string Expected = "{\"switch\":{\"out\":{\"in\":[{\"value\":\"small\",\"<\":10}, …]}}}";
        var outer = Object(value, index, "switch");
        if (outer.Count != 1 || outer[0].Value.ValueKind != JsonValueKind.Object || outer[0].Value.EnumerateObject().Count() != 1)
            throw AggregationException.Invalid($"switch takes one output field and one input field: {Expected}", index);
        var input = outer[0].Value.EnumerateObject().Single();
        if (input.Value.ValueKind != JsonValueKind.Array) throw AggregationException.Invalid($"switch cases must be a list: {Expected}", index);
        var cases = new List<SwitchStage.Case>();
        foreach (var c in input.Value.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("value", out var result))
                throw AggregationException.Invalid($"each switch case is an object with \"value\" and conditions: {Expected}", index);
            var conditions = new List<(string, object?)>();
            foreach (var p in c.EnumerateObject().Where(p => p.Name != "value"))
                conditions.Add(SwitchStage.Operators.Contains(p.Name)
                    ? (p.Name, Values.FromJson(p.Value))
                    : throw AggregationException.Invalid($"switch case condition '{p.Name}' is not one of ==, !=, <, <=, >, >=", index));
            cases.Add(new SwitchStage.Case(Values.FromJson(result), conditions));
        }
        return new SwitchStage(index, outer[0].Name, input.Name, cases);
    }

    private List<Pipeline> Pipelines(JsonElement value, int index, string where, bool hasInput)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw AggregationException.Invalid($"{where} takes a list of pipelines: {{\"{where}\":[[…],[…]]}}", index);
        return [.. value.EnumerateArray().Select((p, i) => Nested(p, index, $"{where}[{i}]", hasInput))];
    }

    private Pipeline Nested(JsonElement pipeline, int index, string where, bool hasInput)
    {
        try
        {
            return Parse(pipeline, hasInput, where);
        }
        catch (AggregationException e)
        {
            throw AggregationException.Invalid($"{where}: {e.Message}", index);
        }
    }

    private static JoinStage ParseJoin(JsonElement value, int index)
    {
        var spec = Object(value, index, "join");
        var fields = spec.FirstOrDefault(p => p.Name == "fields").Value;
        var keys = fields.ValueKind == JsonValueKind.Array ? Strings(fields, index, "join.fields", "a list of key fields") : throw AggregationException.Invalid("join needs \"fields\": a list of key fields ([] joins everything)", index);
        var width = spec.FirstOrDefault(p => p.Name == "width").Value;
        int? w = width.ValueKind == JsonValueKind.Undefined ? null
            : width.ValueKind == JsonValueKind.Number && width.TryGetInt32(out var n) && n > 0 ? n
            : throw AggregationException.Invalid("join.width must be a whole number ≥ 1", index);
        return new JoinStage(index, keys, w);
    }

    private MergeStage ParseMerge(JsonElement value, int index)
    {
        var spec = Object(value, index, "merge");
        var fields = spec.FirstOrDefault(p => p.Name == "fields").Value;
        var keys = fields.ValueKind == JsonValueKind.Array ? Strings(fields, index, "merge.fields", "a list of key fields") : throw AggregationException.Invalid("merge needs \"fields\": the key fields", index);
        var mappings = spec.FirstOrDefault(p => p.Name == "mappings").Value;
        List<(string, string)>? mapped = mappings.ValueKind == JsonValueKind.Undefined ? null : Fields(mappings, index, "merge.mappings");
        var inner = spec.FirstOrDefault(p => p.Name == "pipeline").Value;
        if (inner.ValueKind == JsonValueKind.Undefined) throw AggregationException.Invalid("merge needs \"pipeline\": the pipeline whose rows are looked up", index);
        return new MergeStage(index, keys, mapped, Nested(inner, index, "merge.pipeline", hasInput: false));
    }

    private static Stage ParseExpand(JsonElement value, int index, string name)
    {
        var spec = Object(value, index, name);
        if (spec.Count != 1 || spec[0].Value.ValueKind != JsonValueKind.Object || spec[0].Value.EnumerateObject().Count() != 1)
            throw AggregationException.Invalid($"{name} takes {{\"out\":{{\"{(name == "bulkExpand" ? "visitor" : "page")}\":\"…Id\"}}}}", index);
        var (output, what) = (spec[0].Name, spec[0].Value.EnumerateObject().Single());
        if (what.Value.ValueKind != JsonValueKind.String) throw AggregationException.Invalid($"{name}.{output}.{what.Name} takes the field holding the id", index);
        var field = what.Value.GetString()!;
        return (name, what.Name) switch
        {
            (_, "visitor") => new BulkExpandStage(index, output, EntityKind.Visitor, field),
            (_, "account") => new BulkExpandStage(index, output, EntityKind.Account, field),
            ("expand", "page") => new ExpandStage(index, output, TagKind.Page, field),
            ("expand", "feature") => new ExpandStage(index, output, TagKind.Feature, field),
            ("expand", "trackType") => new ExpandStage(index, output, TagKind.TrackType, field),
            ("expand", "guide") => new ExpandStage(index, output, TagKind.Guide, field),
            _ => throw AggregationException.Invalid($"{name} expands {(name == "bulkExpand" ? "visitor or account" : "page, feature, trackType, guide, visitor or account")}; got '{what.Name}'", index),
        };
    }
}

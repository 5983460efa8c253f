using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Expressions;
using Guidepost.Tagging.Rules;

namespace Guidepost.Query.Aggregations.Pipeline;

/// <summary><c>{"pages": {"pageIds": "url"}}</c> and <c>{"features": {"featureIds": "elementPath"}}</c>: the ids
/// of the tagged pages whose rules match the URL in the input field (of features: whose rules match the element
/// path, and, for a feature tagged on a page, whose page matches the row's <c>url</c>), as a list. Only objects
/// of the row's application count when the row has an <c>appId</c>.</summary>
public sealed class TaggedIdsStage(int index, TagKind kind, string output, string input) : Stage(index)
{
    private sealed record Candidate(Tag Tag, Func<string, bool> Matches, List<PageRule>? OnPage);

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        var catalog = run.Services.Tags;
        var candidates = new List<Candidate>();
        if (kind == TagKind.Page)
            foreach (var page in await catalog.ListAsync<Page>(run.SubscriptionId, run.ApplicationIds, run.Cancellation))
            {
                var rules = page.Rules.Select(PageRule.Parse).ToList();
                candidates.Add(new Candidate(page, url => rules.Any(r => r.Matches(url)), null));
            }
        else
            foreach (var feature in await catalog.ListAsync<Feature>(run.SubscriptionId, run.ApplicationIds, run.Cancellation))
            {
                var rules = feature.ElementPathRules.Select(FeatureRule.Parse).ToList();
                var onPage = await catalog.PageOfAsync(feature, run.Cancellation);
                candidates.Add(new Candidate(feature, path => rules.Any(r => r.Matches(ElementChain.Parse(path))), onPage?.Rules.Select(PageRule.Parse).ToList()));
            }
        var matched = new Dictionary<(string Value, long? App, string? Url), List<object?>>();
        await foreach (var row in rows)
        {
            List<object?>? ids = null;
            if (Values.Get(row, input) is string value)
            {
                var app = Values.Get(row, "appId") is double a ? (long?)a : null;
                var url = candidates.Any(c => c.OnPage is not null) ? Values.Get(row, "url") as string : null;
                if (!matched.TryGetValue((value, app, url), out ids))
                {
                    ids = [.. candidates
                        .Where(c => (app is null || c.Tag.ApplicationId == app) && c.Matches(value)
                            && (c.OnPage is null || (url is not null && c.OnPage.Any(r => r.Matches(url)))))
                        .Select(c => (object?)c.Tag.Id)];
                    matched[(value, app, url)] = ids;
                    run.Hold(matched.Count, Index);
                }
            }
            Values.Set(row, output, ids is null ? new List<object?>() : new List<object?>(ids));
            yield return row;
        }
    }
}

/// <summary><c>{"matchRules": {"entity": "Page", "field": "match", "rules": ["//*/path"], "rulesType": "web"}}</c>:
/// whether the row's <c>url</c> (for <c>Feature</c>, its <c>elementPath</c>) matches any of the rules, written to
/// <c>field</c>; with <c>"filter": true</c> rows that do not match are dropped instead.</summary>
public sealed class MatchRulesStage(int index, string? output, bool filter, Func<string, bool> matches, string input) : Stage(index)
{
    public static MatchRulesStage Parse(JsonElement spec, int index)
    {
        if (spec.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid("matchRules takes {\"entity\":\"Page\"|\"Feature\",\"field\":\"match\",\"rules\":[\"//*/path\"],\"rulesType\":\"web\"}", index);
        var entity = spec.TryGetProperty("entity", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (entity is not ("Page" or "Feature")) throw AggregationException.Invalid($"matchRules.entity is \"Page\" or \"Feature\"; got {(entity is null ? "nothing" : $"\"{entity}\"")}", index);
        if (spec.TryGetProperty("rulesType", out var type) && type.ValueKind != JsonValueKind.Null
            && !(type.ValueKind == JsonValueKind.String && type.GetString() == "web"))
            throw AggregationException.Invalid($"matchRules.rulesType {type.GetRawText()} is not supported; Guidepost matches \"web\" rules", index);
        var filter = spec.TryGetProperty("filter", out var f) && f.ValueKind == JsonValueKind.True;
        var output = spec.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;
        if (output is null && !filter) throw AggregationException.Invalid("matchRules needs \"field\" (where to write the match) or \"filter\": true", index);
        if (!spec.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() == 0
            || rules.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            throw AggregationException.Invalid("matchRules.rules is a list of rule strings such as [\"//*/reports/*\"]", index);
        var texts = rules.EnumerateArray().Select(r => r.GetString()!).ToList();
        Func<string, bool> matches;
        if (entity == "Page")
        {
            var parsed = texts.Select(t => PageRule.TryParse(t, out var rule, out var error) ? rule : throw AggregationException.Invalid($"matchRules.rules: {error}", index)).ToList();
            matches = url => parsed.Any(r => r.Matches(url));
        }
        else
        {
            var parsed = texts.Select(t => FeatureRule.TryParse(t, out var rule, out var error) ? rule : throw AggregationException.Invalid($"matchRules.rules: {error}", index)).ToList();
            matches = path => parsed.Any(r => r.Matches(ElementChain.Parse(path)));
        }
        return new MatchRulesStage(index, output, filter, matches, entity == "Page" ? "url" : "elementPath");
    }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        await foreach (var row in rows)
        {
            var match = false;
            if (Values.Get(row, input) is string value && !known.TryGetValue(value, out match))
            {
                known[value] = match = matches(value);
                run.Hold(known.Count, Index);
            }
            if (filter && !match) continue;
            if (output is not null) Values.Set(row, output, match);
            yield return row;
        }
    }
}

/// <summary><c>{"compute": {"durations": {"diff": "times"}}}</c>: the differences between neighbours of a list of
/// numbers (<c>[t1 − t0, t2 − t1, …]</c>); null when the field is not a list.</summary>
public sealed class ComputeStage(int index, IReadOnlyList<(string Output, string Input)> differences) : Stage(index)
{
    public static ComputeStage Parse(JsonElement spec, int index)
    {
        if (spec.ValueKind != JsonValueKind.Object) throw AggregationException.Invalid("compute takes {\"out\": {\"diff\": \"listField\"}}", index);
        var fields = new List<(string, string)>();
        foreach (var property in spec.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("diff", out var diff) || diff.ValueKind != JsonValueKind.String
                || property.Value.EnumerateObject().Count() != 1)
                throw AggregationException.Invalid($"compute.{property.Name} takes {{\"diff\": \"listField\"}}, the one computation Guidepost knows", index);
            fields.Add((property.Name, diff.GetString()!));
        }
        return fields.Count > 0 ? new ComputeStage(index, fields) : throw AggregationException.Invalid("compute takes {\"out\": {\"diff\": \"listField\"}}", index);
    }

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> rows, PipelineRun run)
    {
        await foreach (var row in rows)
        {
            foreach (var (output, input) in differences)
            {
                if (Values.Get(row, input) is not List<object?> list)
                {
                    Values.Set(row, output, null);
                    continue;
                }
                var diffs = new List<object?>(Math.Max(0, list.Count - 1));
                for (var i = 1; i < list.Count; i++)
                    diffs.Add(list[i] is double later && list[i - 1] is double earlier
                        ? later - earlier
                        : throw new ExpressionException($"compute diff needs a list of numbers in {input}; item {i - 1} or {i} is not a number"));
                Values.Set(row, output, diffs);
            }
            yield return row;
        }
    }
}

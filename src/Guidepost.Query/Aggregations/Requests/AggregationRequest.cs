using System.Text.Json;
using System.Text.Json.Nodes;

namespace Guidepost.Query.Aggregations.Requests;

/// <summary>The body of <c>POST /api/v1/aggregation</c> in any of the forms clients send: the canonical
/// <c>{"response": {...}, "request": {"pipeline": [...]}}</c>, the legacy <c>"request": [stages]</c>, and
/// the UI's <c>"requests": [{...}, ...]</c> (each run on its own).</summary>
public sealed record AggregationRequest(string MimeType, IReadOnlyList<PipelineRequest> Requests, bool IsBatch)
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";

    /// <exception cref="AggregationException">The envelope is malformed.</exception>
    public static AggregationRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid("the body must be a JSON object: {\"response\":{\"mimeType\":\"application/json\"},\"request\":{\"pipeline\":[…]}}");
        var mimeType = Json;
        if (body.TryGetProperty("response", out var response) && response.ValueKind != JsonValueKind.Null)
        {
            if (response.ValueKind != JsonValueKind.Object) throw AggregationException.Invalid("response must be an object such as {\"mimeType\":\"application/json\"}");
            if (response.TryGetProperty("mimeType", out var mime))
                mimeType = mime.ValueKind == JsonValueKind.String && mime.GetString() is Json or Csv
                    ? mime.GetString()!
                    : throw AggregationException.Invalid($"response.mimeType must be \"{Json}\" or \"{Csv}\"; got {mime.GetRawText()}");
        }
        if (body.TryGetProperty("requests", out var batch))
        {
            if (batch.ValueKind != JsonValueKind.Array || batch.GetArrayLength() == 0)
                throw AggregationException.Invalid("requests must be a non-empty list of {\"pipeline\":[…]} objects");
            return new AggregationRequest(mimeType, [.. batch.EnumerateArray().Select((r, i) => PipelineRequest.Parse(r, $"requests[{i}]"))], true);
        }
        if (!body.TryGetProperty("request", out var request))
            throw AggregationException.Invalid("the body needs \"request\": {\"pipeline\":[{\"source\":…}, …]}");
        return new AggregationRequest(mimeType, [PipelineRequest.Parse(request, "request")], false);
    }
}

/// <summary>One pipeline to run, with its labels and settings.</summary>
/// <param name="Sort">The request-level <c>sort</c> tap-pendo sends beside the pipeline; Pendo leaves it
/// undocumented, and Guidepost applies it to the pipeline's output.</param>
public sealed record PipelineRequest(string? Name, string? RequestId, JsonElement Pipeline, IReadOnlyList<string>? Sort, string ExcludeList)
{
    public static PipelineRequest Parse(JsonElement request, string where)
    {
        if (request.ValueKind == JsonValueKind.Array) return new PipelineRequest(null, null, request.Clone(), null, "apply");
        if (request.ValueKind != JsonValueKind.Object)
            throw AggregationException.Invalid($"{where} must be an object with a pipeline: {{\"pipeline\":[…]}}");
        if (!request.TryGetProperty("pipeline", out var pipeline))
            throw AggregationException.Invalid($"{where} needs \"pipeline\": a list of stages starting with a source");
        string? Text(string name) => request.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        List<string>? sort = null;
        if (request.TryGetProperty("sort", out var s) && s.ValueKind != JsonValueKind.Null)
            sort = s.ValueKind == JsonValueKind.Array && s.EnumerateArray().All(k => k.ValueKind == JsonValueKind.String)
                ? [.. s.EnumerateArray().Select(k => k.GetString()!)]
                : throw AggregationException.Invalid($"{where}.sort must be a list of field names");
        var excludeList = "apply";
        if (request.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object
            && settings.TryGetProperty("excludeList", out var exclude))
            excludeList = exclude.ValueKind == JsonValueKind.String && exclude.GetString() is "apply" or "ignore" or "only"
                ? exclude.GetString()!
                : throw AggregationException.Invalid($"{where}.settings.excludeList must be apply, ignore or only");
        return new PipelineRequest(Text("name"), Text("requestId"), pipeline.Clone(), sort, excludeList);
    }

    /// <summary>The pipeline with its sort appended as a last stage.</summary>
    public JsonElement SortedPipeline()
    {
        if (Sort is null || Pipeline.ValueKind != JsonValueKind.Array) return Pipeline;
        var stages = JsonNode.Parse(Pipeline.GetRawText())!.AsArray();
        stages.Add(new JsonObject { ["sort"] = new JsonArray([.. Sort.Select(k => (JsonNode)k)]) });
        return JsonSerializer.SerializeToElement(stages);
    }
}

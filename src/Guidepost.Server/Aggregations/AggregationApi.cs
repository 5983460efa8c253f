using System.Text;
using System.Text.Json;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Query.Aggregations;
using Row = System.Collections.Generic.Dictionary<string, object?>;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Requests;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Aggregations;

/// <summary><c>POST /api/v1/aggregation</c> (Pendo's Aggregations API) and <c>GET /api/v1/token/verify</c>.
/// With <c>?details=true</c> each result carries <c>details.validThrough</c>: per application, the time the query
/// started, since every event accepted before then is in the store (ingestion answers once events are durable).
/// Results stream: the first rows are held back until 64 KB are ready, so an error in the early going still
/// gets its proper status; an error after that aborts the response (the client sees a broken body rather
/// than a short one that looks complete).</summary>
internal static class AggregationApi
{
    private const int CommitBytes = 64 * 1024;
    private const int CsvHeaderRows = 10_000;

    public static void MapAggregationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/aggregation", AggregateAsync).WithTags("Aggregations").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        app.MapGet("/api/v1/token/verify", VerifyAsync).WithTags("Aggregations");
    }

    /// <summary>200 with the key's access for a valid integration key, 403 otherwise (Pendo's codes).</summary>
    private static async Task<IResult> VerifyAsync(HttpContext http, IntegrationKeyService keys, CancellationToken ct)
    {
        var secret = http.Request.Headers[IntegrationKeyAuthentication.Header].ToString().Trim();
        var key = secret.Length == 0 ? null : await keys.VerifyAsync(secret, ct);
        return key is null
            ? ApiErrors.Forbidden("The x-pendo-integration-key header does not name a valid integration key.")
            : Results.Json(new { valid = true, subscriptionId = key.SubscriptionId, name = key.Name, writeAccess = key.Access == KeyAccess.ReadWrite });
    }

    private static async Task AggregateAsync(HttpContext http, AggregationEngine engine, bool? pushdown, bool? details)
    {
        var ct = http.RequestAborted;
        PreparedAggregation prepared;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            prepared = await engine.PrepareAsync(http.Caller().SubscriptionId, body.RootElement, ct, pushdown ?? true);
            if (prepared.Request.MimeType == AggregationRequest.Csv && prepared.Pipelines.Count > 1)
                throw AggregationException.Invalid("text/csv answers one request; send the requests one at a time");
        }
        catch (JsonException e)
        {
            await ApiErrors.Invalid($"The body is not valid JSON: {e.Message}").ExecuteAsync(http);
            return;
        }
        catch (AggregationException e)
        {
            await Error(e).ExecuteAsync(http);
            return;
        }

        var output = new ResponseBuffer(http);
        try
        {
            if (prepared.Request.MimeType == AggregationRequest.Csv) await WriteCsvAsync(output, engine, prepared.Pipelines[0], ct);
            else await WriteJsonAsync(output, engine, prepared, details ?? false, ct);
            await output.CompleteAsync();
        }
        catch (AggregationException e) when (!output.Committed)
        {
            await Error(e).ExecuteAsync(http);
        }
        catch (AggregationException) when (!ct.IsCancellationRequested)
        {
            http.Abort();
        }
    }

    private static IResult Error(AggregationException e) => ApiErrors.Of(e.Status, e.Status switch
    {
        404 => "Not found",
        422 => "Query limit",
        _ => "Invalid aggregation",
    }, e.Message);

    private static async Task WriteJsonAsync(ResponseBuffer output, AggregationEngine engine, PreparedAggregation prepared, bool details, CancellationToken ct)
    {
        output.ContentType = "application/json; charset=utf-8";
        var json = output.Json;
        json.WriteStartObject();
        if (prepared.Request.IsBatch)
        {
            json.WriteStartArray("responses");
            foreach (var pipeline in prepared.Pipelines)
            {
                json.WriteStartObject();
                json.WriteString("name", pipeline.Request.Name);
                json.WriteString("requestId", pipeline.Request.RequestId);
                await WriteResultsAsync(output, engine, pipeline, ct);
                if (details) WriteDetails(json, pipeline.Run);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        else
        {
            await WriteResultsAsync(output, engine, prepared.Pipelines[0], ct);
            if (details) WriteDetails(json, prepared.Pipelines[0].Run);
        }
        json.WriteEndObject();
    }

    private static void WriteDetails(Utf8JsonWriter json, PipelineRun run)
    {
        json.WriteStartObject("details");
        json.WriteStartObject("validThrough");
        foreach (var app in run.ApplicationIds) json.WriteNumber(app.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Expressions.NowMs);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary><c>"results": [rows]</c>, or for an iterative period <c>"results": [{startTime, results}, …]</c>.</summary>
    private static async Task WriteResultsAsync(ResponseBuffer output, AggregationEngine engine, PreparedPipeline pipeline, CancellationToken ct)
    {
        var json = output.Json;
        json.WriteStartArray("results");
        foreach (var (start, stages) in pipeline.Runs)
        {
            if (pipeline.Iterative)
            {
                json.WriteStartObject();
                json.WriteNumber("startTime", start!.Value);
                json.WriteStartArray("results");
            }
            await foreach (var row in engine.RunAsync(pipeline, stages, ct))
            {
                Values.WriteJson(json, row);
                await output.MaybeFlushAsync();
            }
            if (pipeline.Iterative)
            {
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
    }

    /// <summary>One column per top-level field of the first rows (nested values as JSON text); iterative
    /// periods add a <c>startTime</c> column.</summary>
    private static async Task WriteCsvAsync(ResponseBuffer output, AggregationEngine engine, PreparedPipeline pipeline, CancellationToken ct)
    {
        output.ContentType = "text/csv; charset=utf-8";
        List<string>? columns = null;
        var pending = new List<(long? Start, Row Row)>();
        foreach (var (start, stages) in pipeline.Runs)
            await foreach (var row in engine.RunAsync(pipeline, stages, ct))
            {
                if (columns is null)
                {
                    pending.Add((start, row));
                    if (pending.Count < CsvHeaderRows) continue;
                    columns = await StartCsvAsync(output, pipeline, pending);
                    continue;
                }
                await WriteCsvRowAsync(output, columns, pipeline.Iterative, start, row);
            }
        if (columns is null) await StartCsvAsync(output, pipeline, pending);

        async Task<List<string>> StartCsvAsync(ResponseBuffer output, PreparedPipeline pipeline, List<(long? Start, Row Row)> rows)
        {
            var names = rows.SelectMany(r => r.Row.Keys).Distinct(StringComparer.Ordinal).ToList();
            var header = pipeline.Iterative ? ["startTime", .. names] : names;
            output.Write(string.Join(',', header.Select(Cell)) + "\r\n");
            foreach (var (start, row) in rows) await WriteCsvRowAsync(output, names, pipeline.Iterative, start, row);
            return names;
        }
    }

    private static async Task WriteCsvRowAsync(ResponseBuffer output, List<string> columns, bool iterative, long? start, Row row)
    {
        if (row.Keys.Any(k => !columns.Contains(k)))
            throw AggregationException.Invalid($"a row has the field '{row.Keys.First(k => !columns.Contains(k))}' that the first {CsvHeaderRows:N0} rows did not, so it has no CSV column; ask for application/json");
        var cells = columns.Select(c => Cell(Values.ToText(row.GetValueOrDefault(c))));
        output.Write(string.Join(',', iterative ? cells.Prepend(start!.Value.ToString()) : cells) + "\r\n");
        await output.MaybeFlushAsync();
    }

    private static string Cell(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    /// <summary>Holds the response until <see cref="CommitBytes"/> are ready (or the end), then streams.</summary>
    private sealed class ResponseBuffer
    {
        private readonly HttpContext _http;
        private readonly MemoryStream _buffer = new();

        public ResponseBuffer(HttpContext http)
        {
            _http = http;
            Json = new Utf8JsonWriter(_buffer);
        }

        public Utf8JsonWriter Json { get; }
        public bool Committed { get; private set; }
        public string ContentType { get; set; } = "application/json";

        public void Write(string text)
        {
            Json.Flush();
            _buffer.Write(Encoding.UTF8.GetBytes(text));
        }

        public async Task MaybeFlushAsync()
        {
            if (Json.BytesPending + _buffer.Length < CommitBytes) return;
            await FlushAsync();
        }

        private async Task FlushAsync()
        {
            Json.Flush();
            if (!Committed)
            {
                _http.Response.StatusCode = StatusCodes.Status200OK;
                _http.Response.ContentType = ContentType;
                Committed = true;
            }
            _buffer.Position = 0;
            await _buffer.CopyToAsync(_http.Response.Body, _http.RequestAborted);
            _buffer.SetLength(0);
        }

        public async Task CompleteAsync()
        {
            await FlushAsync();
            await _http.Response.Body.FlushAsync(_http.RequestAborted);
        }
    }
}

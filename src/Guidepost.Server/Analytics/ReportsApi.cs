using System.Globalization;
using System.Text;
using System.Text.Json;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Events;
using Guidepost.Core.Tenancy;
using Guidepost.Query.Reports;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using NodaTime;

namespace Guidepost.Server.Analytics;

/// <summary>Visitor and account lists: run at once (<c>POST /api/analytics/lists</c>), or saved as reports and
/// read on Pendo's paths (<c>/api/v1/report</c>, <c>…/results.json</c>, <c>…/results.csv</c>).</summary>
internal static class ReportsApi
{
    public sealed record ListRequest(string? Level, string? From, string? To, string? AppId, string? SegmentId, List<string>? Columns, string? Sort, int? Limit);

    public sealed record ReportRequest(string? Name, ListRequest? Definition);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics").WithTags("Reports").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        analytics.MapPost("/lists", async (ListRequest body, string? format, HttpContext http, SubscriptionService subscriptions, EntityListReport report, CancellationToken ct) =>
            await RunAsync(body, format == "csv", http, subscriptions, report, ct));

        var v1 = app.MapGroup("/api/v1/report").WithTags("Reports").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        v1.MapGet("/", async (HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            TypedResults.Ok((await saved.ListReportsAsync(http.Caller().SubscriptionId, ct)).Select(View)));
        v1.MapGet("/{id}", async (string id, HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            await saved.FindReportAsync(http.Caller().SubscriptionId, id, ct) is { } r ? TypedResults.Ok(View(r)) : (IResult)ApiErrors.NotFound($"No report '{id}'."));
        v1.MapPost("/", (ReportRequest body, HttpContext http, AnalyticsCatalog saved, SubscriptionService subscriptions, CancellationToken ct) =>
            SaveAsync(null, body, http, saved, subscriptions, ct)).RequireRole(Role.Editor);
        v1.MapPut("/{id}", (string id, ReportRequest body, HttpContext http, AnalyticsCatalog saved, SubscriptionService subscriptions, CancellationToken ct) =>
            SaveAsync(id, body, http, saved, subscriptions, ct)).RequireRole(Role.Editor);
        v1.MapDelete("/{id}", async (string id, HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            await saved.DeleteReportAsync(http.Caller().SubscriptionId, id, ct) ? TypedResults.NoContent() : (IResult)ApiErrors.NotFound($"No report '{id}'."))
            .RequireRole(Role.Editor);
        v1.MapGet("/{id}/results.{format}", async (string id, string format, HttpContext http, AnalyticsCatalog saved, SubscriptionService subscriptions,
            EntityListReport report, CancellationToken ct) =>
        {
            if (format is not ("json" or "csv")) return ApiErrors.NotFound($"Results come as results.json or results.csv, not results.{format}.");
            if (await saved.FindReportAsync(http.Caller().SubscriptionId, id, ct) is not { } found) return ApiErrors.NotFound($"No report '{id}'.");
            return await RunAsync(JsonSerializer.Deserialize<ListRequest>(found.Definition, Web)!, format == "csv", http, subscriptions, report, ct);
        });
    }

    private static async Task<IResult> SaveAsync(string? id, ReportRequest body, HttpContext http, AnalyticsCatalog saved, SubscriptionService subscriptions, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > Config.ConfigDbContext.MaxNameLength)
            return ApiErrors.Invalid($"name is required, at most {Config.ConfigDbContext.MaxNameLength} characters.");
        if (body.Definition is null) return ApiErrors.Invalid("definition is required: the list's level, from, to, columns and optional segmentId, sort and limit.");
        var (definition, _, error) = await ParseAsync(body.Definition, http, subscriptions, ct);
        if (definition is null) return ApiErrors.Invalid($"definition: {error}");
        var caller = http.Caller();
        var generator = definition.Level == EntityKind.Visitor ? "visitorList" : "accountList";
        var report = await saved.SaveReportAsync(caller.SubscriptionId, id, body.Name.Trim(), generator, JsonSerializer.Serialize(body.Definition, Web), caller.Actor, ct);
        if (report is null) return ApiErrors.NotFound($"No report '{id}'.");
        return id is null ? TypedResults.Created($"/api/v1/report/{report.Id}", View(report)) : TypedResults.Ok(View(report));
    }

    private static async Task<(ListDefinition? Definition, ReportArguments? Arguments, string? Error)> ParseAsync(
        ListRequest request, HttpContext http, SubscriptionService subscriptions, CancellationToken ct)
    {
        EntityKind? level = request.Level switch { "visitor" => EntityKind.Visitor, "account" => EntityKind.Account, _ => null };
        if (level is null) return (null, null, $"level '{request.Level}' is not visitor or account.");
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, request.From, request.To, null, request.AppId, ct);
        if (arguments is null) return (null, null, error);
        var definition = new ListDefinition(level.Value, arguments.First, arguments.Last, request.SegmentId, request.Columns ?? [], request.Sort, request.Limit ?? 10_000);
        return definition.Problem() is { } problem ? (null, null, problem) : (definition, arguments, null);
    }

    private static async Task<IResult> RunAsync(ListRequest request, bool csv, HttpContext http, SubscriptionService subscriptions, EntityListReport report, CancellationToken ct)
    {
        var (definition, arguments, error) = await ParseAsync(request, http, subscriptions, ct);
        if (definition is null) return ApiErrors.Invalid(error!);
        ListResult result;
        try
        {
            result = await report.RunAsync(http.Caller().SubscriptionId, arguments!.ApplicationIds, arguments.Calendar, definition, ct);
        }
        catch (ReportException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
        catch (Query.Aggregations.AggregationException e)
        {
            return ApiErrors.Of(e.Status, "Report failed", e.Message);
        }
        if (csv) return Results.Text(Csv(result, arguments.Calendar.Zone), "text/csv", Encoding.UTF8);
        return TypedResults.Ok(new
        {
            columns = result.Columns, total = result.Total,
            rows = result.Rows.Select(r => new Dictionary<string, object?>(result.Columns.Select((c, i) => KeyValuePair.Create(c, r.Values[i])).Prepend(KeyValuePair.Create("id", (object?)r.Id)))),
        });
    }

    /// <summary>RFC 4180 CSV; times in the subscription's zone as ISO 8601 with offset.</summary>
    private static string Csv(ListResult result, DateTimeZone zone)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', result.Columns.Prepend("id").Select(Quote)).Append("\r\n");
        foreach (var row in result.Rows)
        {
            text.Append(Quote(row.Id));
            for (var i = 0; i < row.Values.Count; i++)
            {
                text.Append(',');
                text.Append(Quote(row.Values[i] switch
                {
                    null => "",
                    long ms when ListDefinition.TimeColumns.Contains(result.Columns[i]) =>
                        Instant.FromUnixTimeMilliseconds(ms).InZone(zone).ToOffsetDateTime().ToString("uuuu-MM-dd'T'HH:mm:sso<g>", CultureInfo.InvariantCulture),
                    JsonElement { ValueKind: JsonValueKind.String } s => s.GetString()!,
                    JsonElement e => e.GetRawText(),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var other => other.ToString()!,
                }));
            }
            text.Append("\r\n");
        }
        return text.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static object View(SavedReport r) => new
    {
        r.Id, kind = "Report", r.Name, type = "List", shared = r.Shared,
        definition = new { type = "List", generator = r.Generator, config = JsonDocument.Parse(r.Definition).RootElement },
        r.CreatedAt, createdByUser = new { username = r.CreatedBy }, lastUpdatedAt = r.LastUpdatedAt, lastUpdatedByUser = new { username = r.LastUpdatedBy },
    };
}

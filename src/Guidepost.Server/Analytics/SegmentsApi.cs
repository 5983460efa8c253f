using System.Text.Json;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Query.Reports;
using Guidepost.Query.Segments;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Server.Analytics;

/// <summary>Segments: read on Pendo's paths, written with a rule tree (see <see cref="SegmentRule"/>), listed
/// in full, and checked for one visitor the way guide targeting does.</summary>
internal static class SegmentsApi
{
    public sealed record SegmentRequest(string? Name, JsonElement Rules);

    public static void MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1/segment").WithTags("Segments").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        v1.MapGet("/", async (HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            TypedResults.Ok((await saved.ListSegmentsAsync(http.Caller().SubscriptionId, ct)).Select(View)));
        v1.MapGet("/{id}", async (string id, HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            await saved.FindSegmentAsync(http.Caller().SubscriptionId, id, ct) is { } segment ? TypedResults.Ok(View(segment)) : (IResult)ApiErrors.NotFound($"No segment '{id}'."));
        v1.MapPost("/", (SegmentRequest body, HttpContext http, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, CancellationToken ct) =>
            SaveAsync(null, body, http, saved, catalog, matcher, ct)).RequireRole(Role.Editor);
        v1.MapPut("/{id}", (string id, SegmentRequest body, HttpContext http, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, CancellationToken ct) =>
            SaveAsync(id, body, http, saved, catalog, matcher, ct)).RequireRole(Role.Editor);
        v1.MapDelete("/{id}", async (string id, HttpContext http, AnalyticsCatalog saved, CancellationToken ct) =>
            await saved.DeleteSegmentAsync(http.Caller().SubscriptionId, id, ct) ? TypedResults.NoContent() : (IResult)ApiErrors.NotFound($"No segment '{id}'."))
            .RequireRole(Role.Editor);
        v1.MapGet("/{id}/visitors", MembersAsync);
        v1.MapGet("/{id}/visitor/{visitorId}", CheckAsync);
    }

    private static async Task<IResult> SaveAsync(
        string? id, SegmentRequest body, HttpContext http, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, CancellationToken ct)
    {
        var caller = http.Caller();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > Config.ConfigDbContext.MaxNameLength)
            return ApiErrors.Invalid($"name is required, at most {Config.ConfigDbContext.MaxNameLength} characters.");
        if (body.Rules.ValueKind == JsonValueKind.Undefined) return ApiErrors.Invalid("rules is required: a rule tree such as {\"and\":[{\"field\":\"agent.plan\",\"value\":\"pro\"}]}.");
        var rule = SegmentRule.Parse(body.Rules, out var error);
        if (error is not null) return ApiErrors.Invalid(error);
        var (_, missing) = await CompiledSegment.CompileAsync(caller.SubscriptionId, rule, catalog, matcher, ct);
        if (missing is not null) return ApiErrors.Invalid(missing);
        var segment = await saved.SaveSegmentAsync(caller.SubscriptionId, id, body.Name.Trim(), body.Rules.GetRawText(), caller.Actor, ct);
        if (segment is null) return ApiErrors.NotFound($"No segment '{id}'.");
        return id is null ? TypedResults.Created($"/api/v1/segment/{segment.Id}", View(segment)) : TypedResults.Ok(View(segment));
    }

    private static async Task<IResult> MembersAsync(
        string id, HttpContext http, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, SegmentMembers members, SubscriptionService subscriptions,
        CancellationToken ct)
    {
        var caller = http.Caller();
        try
        {
            var segment = await SegmentCatalog.CompileAsync(caller.SubscriptionId, id, saved, catalog, matcher, ct);
            var apps = (await subscriptions.ListApplicationsAsync(caller.SubscriptionId, ct)).Select(a => a.Id).ToList();
            return TypedResults.Ok(new { visitors = (await members.VisitorsAsync(caller.SubscriptionId, apps, segment, ct)).Order(StringComparer.Ordinal) });
        }
        catch (ReportException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
    }

    private static async Task<IResult> CheckAsync(
        string id, string visitorId, HttpContext http, AnalyticsCatalog saved, TagCatalog catalog, TagMatcher matcher, SegmentChecker checker,
        SubscriptionService subscriptions, CancellationToken ct)
    {
        var caller = http.Caller();
        try
        {
            var segment = await SegmentCatalog.CompileAsync(caller.SubscriptionId, id, saved, catalog, matcher, ct);
            var apps = (await subscriptions.ListApplicationsAsync(caller.SubscriptionId, ct)).Select(a => a.Id).ToList();
            return TypedResults.Ok(new { visitorId, member = await checker.IsMemberAsync(caller.SubscriptionId, apps, segment, visitorId, ct) });
        }
        catch (ReportException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
    }

    private static object View(Segment s) => new
    {
        s.Id, kind = "Segment", s.Name, rules = JsonDocument.Parse(s.Definition).RootElement, s.CreatedAt, createdByUser = new { username = s.CreatedBy },
        lastUpdatedAt = s.LastUpdatedAt, lastUpdatedByUser = new { username = s.LastUpdatedBy },
    };
}

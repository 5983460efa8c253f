using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Tags;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Events;
using Guidepost.Query.Aggregations;
using Guidepost.Query.Metrics;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;

namespace Guidepost.Server.Analytics;

/// <summary>Guidepost's report endpoints (the admin UI's charts and lists), in the subscription's time zone.</summary>
internal static class AnalyticsApi
{
    public static void MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics").WithTags("Analytics").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        analytics.MapGet("/usage", UsageAsync);
        analytics.MapGet("/engagement", EngagementAsync);
    }

    /// <summary><c>of</c> is a tag kind (page, feature, trackType, with <c>id</c>) or everything of a kind:
    /// pageLoads, clicks, trackEvents, or app (every event).</summary>
    private static async Task<IResult> UsageAsync(
        string? of, string? id, string? measures, HttpContext http, SubscriptionService subscriptions, TagCatalog catalog, UsageSeries series,
        CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        var subscriptionId = http.Caller().SubscriptionId;
        var wanted = UsageMeasures.All;
        if (!string.IsNullOrEmpty(measures))
        {
            wanted = 0;
            foreach (var name in measures.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Enum.TryParse<UsageMeasures>(name, ignoreCase: true, out var measure) || measure == UsageMeasures.All)
                    return ApiErrors.Invalid($"measures: '{name}' is not one of events, visitors, accounts, minutes.");
                wanted |= measure;
            }
        }

        UsageOf source;
        var apps = new JsonArray([.. arguments.ApplicationIds.Select(a => (JsonNode)a)]);
        switch (of)
        {
            case "pageLoads": source = new UsageOf("events", new JsonObject { ["appId"] = apps, ["types"] = new JsonArray("load") }, Timed: true); break;
            case "clicks": source = new UsageOf("events", new JsonObject { ["appId"] = apps, ["types"] = new JsonArray("click") }, Timed: false); break;
            case "trackEvents": source = new UsageOf("events", new JsonObject { ["appId"] = apps, ["types"] = new JsonArray("track") }, Timed: false); break;
            case "app": source = new UsageOf("events", new JsonObject { ["appId"] = apps }, Timed: true); break;
            case "page" or "feature" or "trackType":
                if (string.IsNullOrEmpty(id)) return ApiErrors.Invalid($"Name the {of} with id.");
                if (await catalog.FindAsync(subscriptionId, of, id, ct) is null) return ApiErrors.NotFound($"No {of} '{id}'.");
                source = new UsageOf(of == "trackType" ? "trackEvents" : $"{of}Events", new JsonObject { [$"{of}Id"] = id }, Timed: true);
                break;
            default:
                return ApiErrors.Invalid($"of '{of}' is not one of page, feature, trackType (with id), pageLoads, clicks, trackEvents, app.");
        }

        var request = new UsageRequest(subscriptionId, arguments.First, arguments.Last, arguments.Calendar.Zone, arguments.Granularity, source, wanted);
        IReadOnlyList<UsagePoint> points;
        try
        {
            points = await series.RunAsync(request, ct);
        }
        catch (AggregationException e)
        {
            return ApiErrors.Of(e.Status, "Invalid request", e.Message);
        }
        var timed = source.Timed && wanted.HasFlag(UsageMeasures.Minutes);
        return TypedResults.Ok(new
        {
            timeZone = arguments.Calendar.Zone.Id,
            interval = arguments.Granularity.ToString().ToLowerInvariant(),
            rows = points.Select(p => new
            {
                period = p.Period.ToString("uuuu-MM-dd", null),
                numEvents = wanted.HasFlag(UsageMeasures.Events) ? p.NumEvents : (long?)null,
                numVisitors = wanted.HasFlag(UsageMeasures.Visitors) ? p.NumVisitors : (int?)null,
                numAnonymousVisitors = wanted.HasFlag(UsageMeasures.Visitors) ? p.NumAnonymousVisitors : (int?)null,
                numAccounts = wanted.HasFlag(UsageMeasures.Accounts) ? p.NumAccounts : (int?)null,
                numMinutes = timed ? p.NumMinutes : (long?)null,
            }),
        });
    }

    /// <summary>Product Engagement Score over the <c>days</c> (default 30) days ending at <c>to</c>, for visitors
    /// or accounts (<c>level</c>); core events are the pages and features marked <c>isCoreEvent</c>.</summary>
    private static async Task<IResult> EngagementAsync(
        string? to, int? days, string? level, string? appId, HttpContext http, SubscriptionService subscriptions, TagCatalog catalog, TagMatcher matcher,
        EngagementScore score, CancellationToken ct)
    {
        var window = days ?? 30;
        if (window is < 1 or > 90) return ApiErrors.Invalid("days must be from 1 to 90.");
        EntityKind? kind = level switch { null or "visitor" => EntityKind.Visitor, "account" => EntityKind.Account, _ => null };
        if (kind is null) return ApiErrors.Invalid($"level '{level}' is not visitor or account.");
        if (string.IsNullOrEmpty(to) || !NodaTime.Text.LocalDatePattern.Iso.Parse(to).Success)
            return ApiErrors.Invalid("to is required: the last day of the window, such as 2026-11-30.");
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, to, to, null, appId, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        var subscriptionId = http.Caller().SubscriptionId;
        var core = await EngagementScore.CoreEventsAsync(subscriptionId, arguments.ApplicationIds, catalog, matcher, ct);
        var result = await score.RunAsync(subscriptionId, arguments.ApplicationIds, arguments.Calendar, arguments.Last, window, kind.Value, core, ct);
        return TypedResults.Ok(new { level = kind == EntityKind.Visitor ? "visitor" : "account", days = window, to, result });
    }
}

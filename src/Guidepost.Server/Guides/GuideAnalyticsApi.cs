using System.Text.Json;
using Guidepost.Config.Tenancy;
using Guidepost.Guides.Analytics;
using Guidepost.Guides.Authoring;
using Guidepost.Server.Analytics;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Guides;

/// <summary>A guide's metrics over local dates: views, visitors, completion, dismissals and time per step.</summary>
internal static class GuideAnalyticsApi
{
    public static void MapGuideAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics/guides").WithTags("Analytics").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        analytics.MapGet("/{guideId}", SummaryAsync);
    }

    private static async Task<IResult> SummaryAsync(
        string guideId, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, GuideMetrics metrics, CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        var subscriptionId = http.Caller().SubscriptionId;
        var guide = await catalog.FindAsync(subscriptionId, guideId, ct);
        if (guide is null) return ApiErrors.NotFound($"No guide '{guideId}'.");
        // The steps as last delivered (or as drafted, before any publish).
        var definitionJson = guide.DeliveredVersion is { } number ? (await catalog.FindVersionAsync(subscriptionId, guideId, number, ct))!.Definition : guide.Draft;
        using var json = JsonDocument.Parse(definitionJson);
        var definition = GuideDefinition.Parse(json.RootElement, [])!;
        var zone = arguments.Calendar.Zone;
        var from = zone.AtStartOfDay(arguments.First).ToInstant().ToUnixTimeMilliseconds();
        var to = zone.AtStartOfDay(arguments.Last.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds();
        return TypedResults.Ok(await metrics.SummaryAsync(subscriptionId, guide.ApplicationId, guideId, [.. definition.Steps.Select(s => s.Id)], from, to, ct));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Tags;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Events;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Rules;
using Row = System.Collections.Generic.Dictionary<string, object?>;

namespace Guidepost.Server.Visitors;

/// <summary>Pendo's visitor and account detail endpoints and the visitor history.</summary>
internal static class VisitorsApi
{
    private const long HistoryWindowMs = 86_400_000;
    private const long HistoryReachMs = 180 * HistoryWindowMs;

    public static void MapVisitorsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1").WithTags("Visitors and accounts").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        v1.MapGet("/visitor/{visitorId}", VisitorAsync);
        v1.MapGet("/visitor/{visitorId}/history", HistoryAsync);
        v1.MapGet("/account/{accountId}", AccountAsync);
    }

    private static async Task<IResult> VisitorAsync(string visitorId, HttpContext http, IEventStore store, CancellationToken ct)
    {
        if (!EntityIds.TryDecode(http, visitorId, out var id)) return ApiErrors.Invalid("The b64_ visitor id is not URL-safe base64.");
        var record = await store.FindEntityAsync(http.Caller().SubscriptionId, EntityKind.Visitor, id, ct);
        if (record is null) return ApiErrors.NotFound($"No visitor '{id}'.");
        return Results.Json(new Row(StringComparer.Ordinal) { ["id"] = id, ["accountIds"] = record.Accounts, ["metadata"] = EntityViews.Metadata(record, EntityViews.Auto(record)) });
    }

    private static async Task<IResult> AccountAsync(string accountId, HttpContext http, IEventStore store, CancellationToken ct)
    {
        if (!EntityIds.TryDecode(http, accountId, out var id)) return ApiErrors.Invalid("The b64_ account id is not URL-safe base64.");
        var record = await store.FindEntityAsync(http.Caller().SubscriptionId, EntityKind.Account, id, ct);
        return record is null
            ? ApiErrors.NotFound($"No account '{id}'.")
            : Results.Json(new Row(StringComparer.Ordinal) { ["id"] = id, ["metadata"] = EntityViews.Metadata(record, EntityViews.Auto(record)) });
    }

    /// <summary>The visitor's events in the 24 hours from <c>starttime</c> (epoch ms, within the last 180 days),
    /// each with the page or feature it counts for.</summary>
    private static async Task<IResult> HistoryAsync(
        string visitorId, long? starttime, HttpContext http, IEventStore store, SubscriptionService subscriptions, TagCatalog catalog,
        TimeProvider time, CancellationToken ct)
    {
        if (!EntityIds.TryDecode(http, visitorId, out var id)) return ApiErrors.Invalid("The b64_ visitor id is not URL-safe base64.");
        if (starttime is not { } start) return ApiErrors.Invalid("starttime is required: epoch milliseconds of the first of the 24 hours to read.");
        if (start < time.GetUtcNow().ToUnixTimeMilliseconds() - HistoryReachMs) return ApiErrors.Invalid("starttime must be within the last 180 days.");
        var caller = http.Caller();
        if (await store.FindEntityAsync(caller.SubscriptionId, EntityKind.Visitor, id, ct) is null) return ApiErrors.NotFound($"No visitor '{id}'.");

        var pages = (await catalog.ListAsync<Page>(caller.SubscriptionId, null, ct)).Select(p => (p, Rules: p.Rules.Select(PageRule.Parse).ToList())).ToList();
        var features = (await catalog.ListAsync<Feature>(caller.SubscriptionId, null, ct)).Select(f => (f, Rules: f.ElementPathRules.Select(FeatureRule.Parse).ToList())).ToList();
        var history = new List<JsonObject>();
        var identified = new Dictionary<string, string?>(StringComparer.Ordinal); // anonymous id → who it became, looked up once
        foreach (var app in await subscriptions.ListApplicationsAsync(caller.SubscriptionId, ct))
            await foreach (var e in store.ScanAsync(new EventScan(caller.SubscriptionId, app.Id, start, start + HistoryWindowMs), ct))
            {
                if (e.VisitorId != id)
                {
                    if (!AnonymousVisitors.Is(e.VisitorId)) continue;
                    if (!identified.TryGetValue(e.VisitorId, out var becomes))
                        identified[e.VisitorId] = becomes = await store.FindIdentifiedVisitorAsync(caller.SubscriptionId, e.VisitorId, ct);
                    if (becomes != id) continue;
                }
                var entry = new JsonObject
                {
                    ["type"] = e.Type, ["ts"] = e.BrowserTime, ["uri"] = e.Url, ["untaggedUrl"] = e.Url, ["appId"] = e.ApplicationId,
                    ["parsedUserAgent"] = new JsonObject { ["name"] = e.Browser, ["version"] = e.BrowserVersion, ["os"] = e.Os },
                };
                if (e.Type == "load" && e.Url is not null && pages.FirstOrDefault(p => p.p.ApplicationId == e.ApplicationId && p.Rules.Any(r => r.Matches(e.Url))).p is { } page)
                    entry["pageId"] = page.Id;
                if (e.Type == "click" && e.ElementPath is not null)
                {
                    var chain = ElementChain.Parse(e.ElementPath);
                    if (features.FirstOrDefault(f => f.f.ApplicationId == e.ApplicationId && f.Rules.Any(r => r.Matches(chain))).f is { } feature)
                        entry["featureId"] = feature.Id;
                }
                if (e.Type == "track") entry["trackTypeName"] = e.TrackName;
                history.Add(entry);
            }
        return Results.Json(history.OrderBy(h => (long)h["ts"]!).ToList());
    }
}

using System.Text.Json;
using Guidepost.Config.Entities.Tags;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Rules;

namespace Guidepost.Server.Tagging;

/// <summary>Pages, features, track types and product areas on Pendo's REST paths (<c>/api/v1/page</c>, …).
/// Lists are bare JSON arrays, as Pendo's are; <c>?appId=</c> picks an application, <c>?expand=*</c> all
/// of them, and otherwise the subscription's first application is meant, as in Pendo.</summary>
internal static class TagsApi
{
    public static void MapTagsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1").WithTags("Tags").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        MapTag<Page, PageRequest>(v1, "page", TagViews.Of, SavePageAsync);
        MapTag<Feature, FeatureRequest>(v1, "feature", TagViews.Of, SaveFeatureAsync);
        MapTag<TrackType, TrackTypeRequest>(v1, "tracktype", TagViews.Of, SaveTrackTypeAsync);
        v1.MapGet("/group", ListProductAreasAsync);
        v1.MapPost("/group", CreateProductAreaAsync).RequireRole(Role.Editor);
        v1.MapPost("/rules/validate", CheckRules);
    }

    private delegate Task<IResult> SaveTag<TRequest>(string? id, TRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct)
        where TRequest : class;

    /// <summary>The five routes every kind of tag has: list, read, create, replace, delete.</summary>
    private static void MapTag<T, TRequest>(RouteGroupBuilder v1, string path, Func<T, GroupView?, object> view, SaveTag<TRequest> save)
        where T : Tag
        where TRequest : class
    {
        v1.MapGet($"/{path}", async (string? id, string? expand, long? appId, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var tags = await catalog.ListAsync<T>(caller.SubscriptionId, await AppScopeAsync(caller, expand, appId, apps, ct), ct);
            var groups = await GroupsAsync(caller, catalog, ct);
            return TypedResults.Ok(Filter(tags, id).Select(t => view(t, Group(groups, t.ProductAreaId))).ToList());
        });
        v1.MapGet($"/{path}/{{id}}", async (string id, HttpContext http, TagCatalog catalog, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var tag = await catalog.FindAsync<T>(caller.SubscriptionId, id, ct);
            return tag is null
                ? (IResult)ApiErrors.NotFound($"No {path} '{id}'.")
                : TypedResults.Ok(view(tag, Group(await GroupsAsync(caller, catalog, ct), tag.ProductAreaId)));
        });
        v1.MapPost($"/{path}", (TRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct) =>
            save(null, body, http, catalog, apps, ct)).RequireRole(Role.Editor);
        v1.MapPut($"/{path}/{{id}}", (string id, TRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct) =>
            save(id, body, http, catalog, apps, ct)).RequireRole(Role.Editor);
        v1.MapDelete($"/{path}/{{id}}", async (string id, HttpContext http, TagCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync<T>(http.Caller().SubscriptionId, id, ct) ? TypedResults.NoContent() : (IResult)ApiErrors.NotFound($"No {path} '{id}'."))
            .RequireRole(Role.Editor);
    }

    private static async Task<IResult> SavePageAsync(string? id, PageRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct)
    {
        var caller = http.Caller();
        var rules = Strings(body.Rules, "rule", out var shapeError);
        if (shapeError is not null) return ApiErrors.Invalid($"rules: {shapeError}");
        var draft = new PageDraft(body.AppId ?? await DefaultAppAsync(caller, apps, ct), body.Name ?? "", body.Description, rules,
            body.Group?.Id, body.IsCoreEvent ?? false);
        return Answer(await catalog.SavePageAsync(caller.SubscriptionId, id, draft, caller.Actor, ct), "page", id,
            page => TagViews.Of(page, null), created: id is null);
    }

    private static async Task<IResult> SaveFeatureAsync(string? id, FeatureRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct)
    {
        var caller = http.Caller();
        var rules = Strings(body.ElementPathRules, "rule", out var shapeError);
        if (shapeError is not null) return ApiErrors.Invalid($"elementPathRules: {shapeError}");
        var draft = new FeatureDraft(body.AppId ?? await DefaultAppAsync(caller, apps, ct), body.Name ?? "", body.Description, rules,
            body.PageId, body.AppWide ?? body.PageId is null, body.Group?.Id, body.IsCoreEvent ?? false);
        return Answer(await catalog.SaveFeatureAsync(caller.SubscriptionId, id, draft, caller.Actor, ct), "feature", id,
            feature => TagViews.Of(feature, null), created: id is null);
    }

    private static async Task<IResult> SaveTrackTypeAsync(string? id, TrackTypeRequest body, HttpContext http, TagCatalog catalog, SubscriptionService apps, CancellationToken ct)
    {
        var caller = http.Caller();
        var draft = new TrackTypeDraft(body.AppId ?? await DefaultAppAsync(caller, apps, ct), body.Name ?? body.TrackTypeName ?? "",
            body.Description, body.TrackTypeName ?? "", body.Group?.Id, body.IsCoreEvent ?? false);
        return Answer(await catalog.SaveTrackTypeAsync(caller.SubscriptionId, id, draft, caller.Actor, ct), "track type", id,
            type => TagViews.Of(type, null), created: id is null);
    }

    private static async Task<IResult> ListProductAreasAsync(HttpContext http, TagCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListProductAreasAsync(http.Caller().SubscriptionId, ct)).ConvertAll(TagViews.Of));

    private static async Task<IResult> CreateProductAreaAsync(ProductAreaRequest body, HttpContext http, TagCatalog catalog, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200) return ApiErrors.Invalid("name: A name of 1 to 200 characters is required.");
        if (body.Description?.Length > TagCatalog.MaxDescriptionLength)
            return ApiErrors.Invalid($"description: A description has at most {TagCatalog.MaxDescriptionLength} characters.");
        if (body.Color?.Length > TagCatalog.MaxColorLength) return ApiErrors.Invalid($"color: A color has at most {TagCatalog.MaxColorLength} characters.");
        var area = await catalog.CreateProductAreaAsync(http.Caller().SubscriptionId, body.Name.Trim(), body.Description, body.Color, ct);
        return TypedResults.Created($"/api/v1/group/{area.Id}", TagViews.Of(area));
    }

    /// <summary>Checks page or feature rules and says, for each, what it compiles to or what is wrong.</summary>
    private static IResult CheckRules(RuleCheckRequest body)
    {
        var rules = Strings(body.Rules, "rule", out var shapeError);
        if (shapeError is not null) return ApiErrors.Invalid($"rules: {shapeError}");
        var views = body.Kind?.ToLowerInvariant() switch
        {
            "page" => rules.Select(r => PageRule.TryParse(r, out var rule, out var error)
                ? new RuleCheckView(r, true, rule.Pattern, null, null) : new RuleCheckView(r, false, null, error!.Problem, error.Position)).ToList(),
            "feature" => rules.Select(r => FeatureRule.TryParse(r, out _, out var error)
                ? new RuleCheckView(r, true, null, null, null) : new RuleCheckView(r, false, null, error!.Problem, error.Position)).ToList(),
            _ => null,
        };
        return views is null ? ApiErrors.Invalid("kind must be \"page\" or \"feature\".") : TypedResults.Ok(views);
    }

    private static IResult Answer<T>(TagResult<T> result, string kind, string? id, Func<T, object> view, bool created) where T : Tag
    {
        if (result.NotFound) return ApiErrors.NotFound($"No {kind} '{id}'.");
        if (result.Errors is { } errors)
            return TypedResults.Json(new ErrorBody($"Invalid {kind}", string.Join(" ", errors.SelectMany(e => e.Value.Select(p => $"{e.Key}: {p}"))), errors.ToDictionary()),
                statusCode: StatusCodes.Status400BadRequest);
        var tag = result.Value!;
        return created ? TypedResults.Created($"/api/v1/{kind.Replace(" ", "")}/{tag.Id}", view(tag)) : TypedResults.Ok(view(tag));
    }

    /// <summary>Rules as Pendo clients send them: strings, or objects with the string in <paramref name="field"/>.</summary>
    private static List<string> Strings(JsonElement? value, string field, out string? error)
    {
        error = null;
        if (value is not { ValueKind: JsonValueKind.Array } array)
        {
            if (value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) }) error = "must be an array of rules.";
            return [];
        }
        var rules = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) rules.Add(item.GetString()!);
            else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(field, out var rule) && rule.ValueKind == JsonValueKind.String) rules.Add(rule.GetString()!);
            else error = $"each rule is a string or an object with a \"{field}\" string.";
        }
        return rules;
    }

    private static IEnumerable<T> Filter<T>(IEnumerable<T> tags, string? ids) where T : Tag
    {
        if (string.IsNullOrEmpty(ids)) return tags;
        var wanted = ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return tags.Where(t => wanted.Contains(t.Id));
    }

    private static async Task<IReadOnlyCollection<long>?> AppScopeAsync(CallerSubscription caller, string? expand, long? appId, SubscriptionService apps, CancellationToken ct) =>
        expand == "*" ? null : [appId ?? await DefaultAppAsync(caller, apps, ct)];

    private static async Task<long> DefaultAppAsync(CallerSubscription caller, SubscriptionService apps, CancellationToken ct) =>
        (await apps.ListApplicationsAsync(caller.SubscriptionId, ct)).FirstOrDefault()?.Id ?? 0;

    private static async Task<Dictionary<string, GroupView>> GroupsAsync(CallerSubscription caller, TagCatalog catalog, CancellationToken ct) =>
        (await catalog.ListProductAreasAsync(caller.SubscriptionId, ct)).ToDictionary(a => a.Id, TagViews.Of);

    private static GroupView? Group(Dictionary<string, GroupView> groups, string? id) => id is not null && groups.TryGetValue(id, out var g) ? g : null;
}

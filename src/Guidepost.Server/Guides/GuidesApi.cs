using Guidepost.Guides.Content;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Config.Entities.Guides;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Tenancy;
using Guidepost.Guides.Authoring;
using Guidepost.Guides.Delivery;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Guides;

/// <summary>Guides on Pendo's paths (<c>/api/v1/guide</c>: list, read, history, resets) plus Guidepost's authoring:
/// create and edit drafts, stage, publish, disable; themes and layouts.</summary>
internal static class GuidesApi
{
    private static readonly Dictionary<string, GuideState> States = new(StringComparer.Ordinal)
    {
        ["draft"] = GuideState.Draft, ["staged"] = GuideState.Staged, ["public"] = GuideState.Public, ["published"] = GuideState.Public,
        ["disabled"] = GuideState.Disabled,
    };

    public static void MapGuidesApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1/guide").WithTags("Guides").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        v1.MapGet("/", ListAsync);
        v1.MapGet("/{id}", async (string id, HttpContext http, GuideCatalog catalog, GuideViews views, CancellationToken ct) =>
            await catalog.FindAsync(http.Caller().SubscriptionId, id, ct) is { } guide ? TypedResults.Ok(await views.OfAsync(guide.SubscriptionId, guide, ct)) : NoGuide(id));
        v1.MapGet("/{id}/history", HistoryAsync);
        v1.MapPost("/", CreateAsync).RequireRole(Role.Editor);
        v1.MapPut("/{id}", EditAsync).RequireRole(Role.Editor);
        v1.MapPost("/{id}/state", ChangeStateAsync).RequireRole(Role.Editor);
        v1.MapDelete("/{id}", async (string id, HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync(http.Caller().SubscriptionId, id, ct) ? TypedResults.NoContent() : NoGuide(id)).RequireRole(Role.Editor);
        v1.MapPost("/{id}/visitor/{visitorId}/reset", ResetVisitorAsync).RequireRole(Role.Editor);
        v1.MapPost("/{id}/reset", ResetGuideAsync).RequireRole(Role.Editor);

        foreach (var kind in new[] { GuideAssets.Theme, GuideAssets.Layout })
        {
            var assets = app.MapGroup($"/api/v1/guide-{kind}").WithTags("Guides").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
            assets.MapGet("/", async (HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok((await catalog.ListAssetsAsync(http.Caller().SubscriptionId, kind, ct)).Select(AssetView)));
            assets.MapGet("/{id}", async (string id, HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
                await catalog.FindAssetAsync(http.Caller().SubscriptionId, kind, id, ct) is { } asset ? TypedResults.Ok(AssetView(asset)) : NoAsset(kind, id));
            assets.MapPost("/", (AssetRequest body, HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
                SaveAssetAsync(kind, null, body, http, catalog, ct)).RequireRole(Role.Editor);
            assets.MapPut("/{id}", (string id, AssetRequest body, HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
                SaveAssetAsync(kind, id, body, http, catalog, ct)).RequireRole(Role.Editor);
            assets.MapDelete("/{id}", async (string id, HttpContext http, GuideCatalog catalog, CancellationToken ct) =>
                await catalog.DeleteAssetAsync(http.Caller().SubscriptionId, kind, id, ct) ? TypedResults.NoContent() : NoAsset(kind, id)).RequireRole(Role.Editor);
        }
    }

    public sealed record AssetRequest(string? Name, JsonElement Definition);

    public sealed record StateRequest(string? State);

    private static async Task<IResult> ListAsync(HttpContext http, GuideCatalog catalog, GuideViews views, long? appId, string? id, CancellationToken ct)
    {
        var guides = await catalog.ListAsync(http.Caller().SubscriptionId, appId, ct);
        if (id is not null)
        {
            var wanted = id.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            guides = [.. guides.Where(g => wanted.Contains(g.Id))];
        }
        return TypedResults.Ok(await views.OfAsync(http.Caller().SubscriptionId, guides, ct));
    }

    private static async Task<IResult> HistoryAsync(string id, HttpContext http, GuideCatalog catalog, CancellationToken ct)
    {
        var versions = await catalog.HistoryAsync(http.Caller().SubscriptionId, id, ct);
        return versions is null ? NoGuide(id) : TypedResults.Ok(versions.Select(v => new
        {
            guideId = v.GuideId, version = v.Number, v.Name, state = GuideViews.StateName(v.State), v.CreatedAt, createdByUser = new { username = v.CreatedBy },
            definition = JsonNode.Parse(v.Definition),
        }));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, GuideCatalog catalog, GuideValidator validator, GuideViews views, SubscriptionService subscriptions, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await ReadBodyAsync(http) is not { } body) return ApiErrors.Invalid("The body must be a JSON object: a guide {appId, name, steps, ...}.");
        using (body)
        {
            var root = body.RootElement;
            var applications = await subscriptions.ListApplicationsAsync(caller.SubscriptionId, ct);
            long appId;
            if (root.TryGetProperty("appId", out var app) && app.ValueKind != JsonValueKind.Null)
            {
                if (app.ValueKind != JsonValueKind.Number || !app.TryGetInt64(out appId)) return ApiErrors.Invalid("appId must be the number of one of the subscription's applications.");
                if (applications.All(a => a.Id != appId)) return ApiErrors.NotFound($"The subscription has no application {appId}.");
            }
            else if (applications.Count == 1) appId = applications[0].Id;
            else return ApiErrors.Invalid("appId is required: the subscription has several applications.");
            if (Name(root) is not { } name) return BadName();
            var (definition, problem) = await ValidateAsync(caller.SubscriptionId, null, root, validator, ct);
            if (problem is not null) return problem;
            var guide = await catalog.CreateAsync(caller.SubscriptionId, appId, name, definition!.ToJson().ToJsonString(), caller.Actor, ct);
            return TypedResults.Created($"/api/v1/guide/{guide.Id}", await views.OfAsync(caller.SubscriptionId, guide, ct));
        }
    }

    private static async Task<IResult> EditAsync(string id, HttpContext http, GuideCatalog catalog, GuideValidator validator, GuideViews views, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await catalog.FindAsync(caller.SubscriptionId, id, ct) is null) return NoGuide(id);
        if (await ReadBodyAsync(http) is not { } body) return ApiErrors.Invalid("The body must be a JSON object: the guide {name, steps, ...}.");
        using (body)
        {
            if (Name(body.RootElement) is not { } name) return BadName();
            var (definition, problem) = await ValidateAsync(caller.SubscriptionId, id, body.RootElement, validator, ct);
            if (problem is not null) return problem;
            var guide = await catalog.EditAsync(caller.SubscriptionId, id, name, definition!.ToJson().ToJsonString(), caller.Actor, ct);
            return guide is null ? NoGuide(id) : TypedResults.Ok(await views.OfAsync(caller.SubscriptionId, guide, ct));
        }
    }

    private static async Task<IResult> ChangeStateAsync(
        string id, StateRequest body, HttpContext http, GuideCatalog catalog, GuideValidator validator, GuideViews views, CancellationToken ct)
    {
        var caller = http.Caller();
        if (body.State is null || !States.TryGetValue(body.State, out var state))
            return ApiErrors.Invalid("state must be draft, staged, public or disabled.");
        var guide = await catalog.FindAsync(caller.SubscriptionId, id, ct);
        if (guide is null) return NoGuide(id);
        if (state is GuideState.Staged or GuideState.Public)
        {
            // What it names may have gone since the draft was saved.
            using var draft = JsonDocument.Parse(guide.Draft);
            var (_, problem) = await ValidateAsync(caller.SubscriptionId, id, draft.RootElement, validator, ct);
            if (problem is not null) return problem;
        }
        return TypedResults.Ok(await views.OfAsync(caller.SubscriptionId, (await catalog.ChangeStateAsync(caller.SubscriptionId, id, state, caller.Actor, ct))!, ct));
    }

    private static async Task<IResult> ResetVisitorAsync(string id, string visitorId, HttpContext http, GuideCatalog catalog, CancellationToken ct)
    {
        var caller = http.Caller();
        if (id != "all" && await catalog.FindAsync(caller.SubscriptionId, id, ct) is null) return NoGuide(id);
        await catalog.ResetVisitorAsync(caller.SubscriptionId, visitorId, id == "all" ? null : id, ct);
        return TypedResults.Ok(new { guideId = id, visitorId, reset = true });
    }

    /// <summary>Pendo resets only staged guides this way (for testing them again); <c>staged</c> resets them all.</summary>
    private static async Task<IResult> ResetGuideAsync(string id, HttpContext http, GuideCatalog catalog, CancellationToken ct)
    {
        var caller = http.Caller();
        List<Guide> guides;
        if (id == "staged") guides = [.. (await catalog.ListAsync(caller.SubscriptionId, null, ct)).Where(g => g.State == GuideState.Staged)];
        else
        {
            var guide = await catalog.FindAsync(caller.SubscriptionId, id, ct);
            if (guide is null) return NoGuide(id);
            if (guide.State != GuideState.Staged)
                return ApiErrors.Invalid($"Guide '{id}' is {GuideViews.StateName(guide.State)}: only staged guides are reset for everyone; reset one visitor with /api/v1/guide/{id}/visitor/{{visitorId}}/reset.");
            guides = [guide];
        }
        await catalog.ResetAsync(guides, ct);
        return TypedResults.Ok(new { reset = guides.Select(g => g.Id) });
    }

    private static async Task<(GuideDefinition? Definition, IResult? Problem)> ValidateAsync(
        long subscriptionId, string? guideId, JsonElement json, GuideValidator validator, CancellationToken ct)
    {
        var errors = new List<ContentError>();
        var definition = await validator.ValidateAsync(subscriptionId, guideId, json, errors, ct);
        return definition is not null ? (definition, null) : (null, ApiErrors.Invalid($"The guide is not valid: {string.Join("; ", errors)}"));
    }

    private static async Task<IResult> SaveAssetAsync(string kind, string? id, AssetRequest body, HttpContext http, GuideCatalog catalog, CancellationToken ct)
    {
        var caller = http.Caller();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > Config.ConfigDbContext.MaxNameLength)
            return ApiErrors.Invalid($"name is required, at most {Config.ConfigDbContext.MaxNameLength} characters.");
        if (body.Definition.ValueKind != JsonValueKind.Object) return ApiErrors.Invalid($"definition is required: the {kind} as a JSON object.");
        var errors = new List<ContentError>();
        GuideValidator.ValidateAsset(kind, body.Definition, errors);
        if (errors.Count > 0) return ApiErrors.Invalid($"The {kind} is not valid: {string.Join("; ", errors)}");
        var asset = await catalog.SaveAssetAsync(caller.SubscriptionId, kind, id, body.Name.Trim(), body.Definition.GetRawText(), caller.Actor, ct);
        if (asset is null) return NoAsset(kind, id!);
        return id is null ? TypedResults.Created($"/api/v1/guide-{kind}/{asset.Id}", AssetView(asset)) : TypedResults.Ok(AssetView(asset));
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object) return body;
            body.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Name(JsonElement guide) =>
        guide.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Trim() is { Length: > 0 and <= Config.ConfigDbContext.MaxNameLength } text
            ? text
            : null;

    private static IResult BadName() => ApiErrors.Invalid($"name is required, at most {Config.ConfigDbContext.MaxNameLength} characters.");

    private static IResult NoGuide(string id) => ApiErrors.NotFound($"No guide '{id}'.");

    private static IResult NoAsset(string kind, string id) => ApiErrors.NotFound($"No {kind} '{id}'.");

    private static object AssetView(GuideAsset a) => new
    {
        a.Id, a.Kind, a.Name, definition = JsonNode.Parse(a.Definition), a.CreatedAt, createdByUser = new { username = a.CreatedBy },
        a.LastUpdatedAt, lastUpdatedByUser = new { username = a.LastUpdatedBy },
    };
}

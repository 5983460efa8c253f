using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Core.Tenancy;
using Guidepost.Ingestion.Metadata;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Visitors;

/// <summary>Pendo's metadata endpoints: the schema per kind, field creation and deletion, and single and
/// bulk value writes.</summary>
internal static class MetadataApi
{
    /// <summary>Computed fields every visitor or account has (the <c>auto</c> group).</summary>
    private static readonly Dictionary<EntityKind, (string Name, string Type)[]> AutoFields = new()
    {
        [EntityKind.Visitor] =
        [
            ("accountid", "string"), ("accountids", "string"), ("firstvisit", "time"), ("idhash", "integer"), ("lastbrowsername", "string"),
            ("lastbrowserversion", "string"), ("lastip", "string"), ("lastlanguage", "string"), ("lastoperatingsystem", "string"),
            ("lastservername", "string"), ("lastupdated", "time"), ("lastuseragent", "string"), ("lastvisit", "time"),
        ],
        [EntityKind.Account] = [("firstvisit", "time"), ("idhash", "integer"), ("lastupdated", "time"), ("lastvisit", "time")],
    };

    public static void MapMetadataApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1/metadata").WithTags("Metadata").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        v1.MapGet("/schema/{kind}", SchemaAsync);
        v1.MapPost("/schema/{kind}/{group}", CreateFieldsAsync).RequireRole(Role.Editor);
        v1.MapDelete("/schema/{kind}/{group}/{field}", DeleteFieldAsync).RequireRole(Role.Editor);
        v1.MapGet("/{kind}/{group}/value/{id}/{field}", GetValueAsync);
        v1.MapPut("/{kind}/{group}/value/{id}/{field}", PutValueAsync).RequireRole(Role.Editor);
        v1.MapPost("/{kind}/{group}/value", BulkSetAsync).RequireRole(Role.Editor);
    }

    private static async Task<IResult> SchemaAsync(string kind, HttpContext http, MetadataWriter writer, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        var schema = new Dictionary<string, Dictionary<string, object>>
        {
            ["auto"] = AutoFields[entityKind].ToDictionary(f => f.Name, f => Field(f.Type, f.Name, calculated: true)),
        };
        foreach (var field in await writer.FieldsAsync(http.Caller().SubscriptionId, entityKind, ct))
        {
            if (!schema.TryGetValue(field.Group, out var group)) schema[field.Group] = group = [];
            group[field.Name] = Field(field.Type, field.DisplayName, calculated: false);
        }
        return TypedResults.Ok(schema);
    }

    private static object Field(string type, string displayName, bool calculated) => new Dictionary<string, object>
    {
        ["Type"] = type, ["DisplayName"] = displayName, ["ElementType"] = "", ["ElementFormat"] = "", ["Dirty"] = false, ["isHidden"] = false,
        ["isDeleted"] = false, ["isCalculated"] = calculated, ["isPerApp"] = false, ["neverIndex"] = false,
    };

    private static async Task<IResult> CreateFieldsAsync(string kind, string group, List<FieldSpec>? body, HttpContext http, MetadataWriter writer, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        if (body is null || body.Any(field => field is null)) return ApiErrors.Invalid("The body must be a JSON array of {name, displayname, type}.");
        try
        {
            var outcomes = await writer.CreateFieldsAsync(http.Caller().SubscriptionId, entityKind, group, body, ct);
            var created = outcomes.Count(o => o.Status == "created");
            var undeleted = outcomes.Count(o => o.Status == "undeleted");
            var failed = outcomes.Count(o => o.Status == "failed");
            var status = failed == 0 ? StatusCodes.Status201Created
                : failed == outcomes.Count ? (outcomes.All(o => o.Error == "the field exists.") ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest)
                : StatusCodes.Status207MultiStatus;
            return Results.Json(new
            {
                schema = outcomes.Select(o => new { name = o.Name, status = o.Status, error = o.Error is null ? null : new { message = o.Error } }),
                summary = new { created, failed, undeleted, total = outcomes.Count },
            }, statusCode: status);
        }
        catch (MetadataException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
    }

    private static async Task<IResult> DeleteFieldAsync(string kind, string group, string field, HttpContext http, MetadataWriter writer, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        return await writer.DeleteFieldAsync(http.Caller().SubscriptionId, entityKind, group, field, ct) switch
        {
            true => TypedResults.Ok(new { deleted = field }),
            false => TypedResults.Accepted((string?)null, new { deleted = field, detail = "already deleted" }),
            null => ApiErrors.NotFound($"No {kind} field {group}.{field}."),
        };
    }

    private static async Task<IResult> GetValueAsync(string kind, string group, string id, string field, HttpContext http, IEventStore store, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        if (!EntityIds.TryDecode(http, id, out var entityId)) return ApiErrors.Invalid("The b64_ id is not URL-safe base64.");
        var record = await store.FindEntityAsync(http.Caller().SubscriptionId, entityKind, entityId, ct);
        if (record is null) return ApiErrors.NotFound($"No {kind} '{entityId}'.");
        return record.Metadata.TryGetValue(group, out var fields) && fields.TryGetValue(field, out var json)
            ? Results.Text(json, "application/json")
            : ApiErrors.NotFound($"The {kind} '{entityId}' has no {group}.{field}.");
    }

    /// <summary>The body is the raw JSON value; an unknown field is created, typed by that value.</summary>
    private static async Task<IResult> PutValueAsync(string kind, string group, string id, string field, HttpContext http, MetadataWriter writer, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        if (!EntityIds.TryDecode(http, id, out var entityId)) return ApiErrors.Invalid("The b64_ id is not URL-safe base64.");
        if (await ReadJsonAsync(http) is not { } value) return ApiErrors.Invalid("The body must be a JSON value such as \"YES\", 42 or true.");
        return await SetAsync(http, writer, entityKind, group, [new EntityValues(entityId, new Dictionary<string, JsonElement> { [field] = value })],
            createEntities: true, createFields: true, single: true, ct);
    }

    private static async Task<IResult> BulkSetAsync(string kind, string group, bool? create, HttpContext http, MetadataWriter writer, CancellationToken ct)
    {
        if (Kind(kind) is not { } entityKind) return UnknownKind(kind);
        if (await ReadJsonAsync(http) is not { ValueKind: JsonValueKind.Array } body)
            return ApiErrors.Invalid($"The body must be a JSON array of {{\"{kind}Id\": ..., \"values\": {{...}}}}.");
        var idField = kind + "Id";
        var entries = new List<EntityValues>();
        foreach (var (entry, index) in body.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(idField, out var idValue) || idValue.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object)
                return ApiErrors.Invalid($"[{index}] must be an object with a string {idField} and an object values.");
            entries.Add(new EntityValues(idValue.GetString()!, values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())));
        }
        return await SetAsync(http, writer, entityKind, group, entries, create ?? false, createFields: false, single: false, ct);
    }

    private static async Task<IResult> SetAsync(
        HttpContext http, MetadataWriter writer, EntityKind kind, string group, List<EntityValues> entries, bool createEntities, bool createFields, bool single,
        CancellationToken ct)
    {
        try
        {
            var outcome = await writer.SetAsync(http.Caller().SubscriptionId, kind, group, entries, createEntities, createFields, ct);
            if (single && outcome.Errors.Count > 0) return ApiErrors.Invalid(outcome.Errors[0]);
            return TypedResults.Ok(new
            {
                kind = MetadataWriter.KindName(kind), total = outcome.Total, updated = outcome.Updated, failed = outcome.Failed,
                missing = outcome.Missing, errors = outcome.Errors,
            });
        }
        catch (MetadataException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EntityKind? Kind(string kind) => kind switch { "visitor" => EntityKind.Visitor, "account" => EntityKind.Account, _ => null };

    private static IResult UnknownKind(string kind) => ApiErrors.NotFound($"Metadata kind '{kind}' is not visitor or account.");
}

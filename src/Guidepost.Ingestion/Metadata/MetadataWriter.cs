using System.Text.Json;
using System.Text.RegularExpressions;
using Guidepost.Config;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Ingestion.Metadata;

/// <summary>One visitor's or account's values in a bulk write.</summary>
public sealed record EntityValues(string Id, IReadOnlyDictionary<string, JsonElement> Values);

/// <summary>What a bulk write did, in Pendo's terms: <c>failed</c> = missing ids + values refused.</summary>
public sealed record BulkOutcome(int Total, int Updated, int Failed, IReadOnlyList<string> Missing, IReadOnlyList<string> Errors);

/// <summary>A field to create or undelete.</summary>
public sealed record FieldSpec(string? Name, string? DisplayName, string? Type);

/// <summary>What happened to one field of a create-fields call.</summary>
public sealed record FieldOutcome(string Name, string Status, string? Error);

/// <summary>Writes metadata values from the REST API (single and bulk), checked against the field types of
/// the subscription's schema, and keeps that schema (Pendo's data mappings).</summary>
public sealed partial class MetadataWriter(ConfigDbContext db, IEventStore store, TimeProvider time)
{
    public const int MaxFieldNameLength = 128;
    public const int MaxFieldsPerCreate = 24;

    /// <summary>Groups the API may write. <c>auto</c> is computed and read-only; <c>pendo</c> holds only
    /// the do-not-process and guide-block flags.</summary>
    public static readonly IReadOnlySet<string> WritableGroups = new HashSet<string> { "agent", "custom", "salesforce", "hubspot", "segmentio", "pendo" };

    private static readonly Dictionary<string, string> PendoFields = new() { ["donotprocess"] = MetadataValues.Boolean, ["blacklistguides"] = MetadataValues.Boolean };

    public static bool IsFieldName(string name) => name.Length <= MaxFieldNameLength && FieldName().IsMatch(name);

    public Task<List<MetadataField>> FieldsAsync(long subscriptionId, EntityKind kind, CancellationToken cancellationToken)
    {
        var kindName = KindName(kind);
        return db.MetadataFields.AsNoTracking().Where(f => f.SubscriptionId == subscriptionId && f.Kind == kindName && !f.IsDeleted)
            .OrderBy(f => f.Group).ThenBy(f => f.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Sets fields of many entities. Unknown fields are refused unless <paramref name="createFields"/>
    /// (a single PUT creates its field, as Pendo's does); unknown entities are reported as missing unless
    /// <paramref name="createEntities"/>.</summary>
    /// <exception cref="MetadataException">The group or a field cannot be written at all.</exception>
    public async Task<BulkOutcome> SetAsync(
        long subscriptionId, EntityKind kind, string group, IReadOnlyList<EntityValues> entities, bool createEntities, bool createFields,
        CancellationToken cancellationToken)
    {
        if (!WritableGroups.Contains(group))
            throw new MetadataException($"Metadata group '{group}' cannot be written; use one of {string.Join(", ", WritableGroups.Order())}.");
        var fields = (await FieldsAsync(subscriptionId, kind, cancellationToken)).Where(f => f.Group == group).ToDictionary(f => f.Name, f => f.Type);
        if (group == "pendo") fields = new Dictionary<string, string>(PendoFields);

        foreach (var name in entities.SelectMany(e => e.Values.Keys).Distinct())
        {
            if (!IsFieldName(name)) throw new MetadataException($"'{name}' is not a field name: letters, digits and _, not starting with a digit, at most {MaxFieldNameLength} characters.");
            if (fields.ContainsKey(name)) continue;
            if (!createFields || group == "pendo")
                throw new MetadataException($"Field '{name}' is not in the {KindName(kind)} {group} schema; create it with POST /api/v1/metadata/schema/{KindName(kind)}/{group}.");
            var first = entities.First(e => e.Values.ContainsKey(name)).Values[name];
            fields[name] = await EnsureFieldAsync(subscriptionId, kind, group, name, MetadataValues.TypeOf(first), cancellationToken);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var updates = new List<MetadataUpdate>();
        var missing = new List<string>();
        var errors = new List<string>();
        var updated = 0;
        foreach (var entity in entities)
        {
            if (string.IsNullOrEmpty(entity.Id)) { errors.Add("an entry has no id."); continue; }
            if (!createEntities && await store.FindEntityAsync(subscriptionId, kind, entity.Id, cancellationToken) is null) { missing.Add(entity.Id); continue; }
            var fine = true;
            var converted = new List<MetadataUpdate>();
            foreach (var (name, value) in entity.Values)
            {
                if (MetadataValues.TryConvert(value, fields[name], out var json, out var error))
                    converted.Add(new MetadataUpdate(subscriptionId, kind, entity.Id, group, name, json, now));
                else
                {
                    errors.Add($"{entity.Id}: {name}: {error}");
                    fine = false;
                }
            }
            if (!fine) continue;
            updates.AddRange(converted);
            updated++;
        }
        if (updates.Count > 0) await store.AppendAsync(new IngestBatch([], updates, []), cancellationToken);
        return new BulkOutcome(updated + missing.Count + errors.Count, updated, missing.Count + errors.Count, missing, errors);
    }

    public async Task<IReadOnlyList<FieldOutcome>> CreateFieldsAsync(
        long subscriptionId, EntityKind kind, string group, IReadOnlyList<FieldSpec> specs, CancellationToken cancellationToken)
    {
        if (group is not ("agent" or "custom")) throw new MetadataException($"Fields can be created in the agent and custom groups, not '{group}'.");
        if (specs.Count == 0 || specs.Count > MaxFieldsPerCreate) throw new MetadataException($"Send 1 to {MaxFieldsPerCreate} fields per call.");
        var outcomes = new List<FieldOutcome>();
        var kindName = KindName(kind);
        foreach (var spec in specs)
        {
            var name = spec.Name ?? "";
            var type = MetadataValues.ParseType(spec.Type);
            if (!IsFieldName(name)) { outcomes.Add(new FieldOutcome(name, "failed", "name must be letters, digits and _, not starting with a digit.")); continue; }
            if (type is null) { outcomes.Add(new FieldOutcome(name, "failed", $"type '{spec.Type}' is not one of string, number, time, boolean.")); continue; }
            var existing = await db.MetadataFields.FirstOrDefaultAsync(
                f => f.SubscriptionId == subscriptionId && f.Kind == kindName && f.Group == group && f.Name == name, cancellationToken);
            if (existing is { IsDeleted: false }) { outcomes.Add(new FieldOutcome(name, "failed", "the field exists.")); continue; }
            if (existing is not null)
            {
                (existing.IsDeleted, existing.Type, existing.DisplayName) = (false, type, spec.DisplayName ?? name);
                await db.SaveChangesAsync(cancellationToken);
                outcomes.Add(new FieldOutcome(name, "undeleted", null));
                continue;
            }
            outcomes.Add(await AddFieldAsync(subscriptionId, kind, group, name, spec.DisplayName ?? name, type, cancellationToken)
                ? new FieldOutcome(name, "created", null)
                : new FieldOutcome(name, "failed", "the field exists."));
        }
        return outcomes;
    }

    /// <summary>Marks a field deleted: true if it was live, false if already deleted, null if unknown.</summary>
    public async Task<bool?> DeleteFieldAsync(long subscriptionId, EntityKind kind, string group, string name, CancellationToken cancellationToken)
    {
        var kindName = KindName(kind);
        var field = await db.MetadataFields.FirstOrDefaultAsync(
            f => f.SubscriptionId == subscriptionId && f.Kind == kindName && f.Group == group && f.Name == name, cancellationToken);
        if (field is null) return null;
        if (field.IsDeleted) return false;
        field.IsDeleted = true;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public static string KindName(EntityKind kind) => kind == EntityKind.Visitor ? "visitor" : "account";

    /// <summary>Adds a field; false when another request added the same field first.</summary>
    private async Task<bool> AddFieldAsync(long subscriptionId, EntityKind kind, string group, string name, string displayName, string type, CancellationToken cancellationToken)
    {
        var field = new MetadataField
        {
            SubscriptionId = subscriptionId, Kind = KindName(kind), Group = group, Name = name, DisplayName = displayName, Type = type,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.MetadataFields.Add(field);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(field).State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>A field a value write names: created with the value's type when new, brought back when deleted,
    /// or as another request just created it. Returns the field's type.</summary>
    private async Task<string> EnsureFieldAsync(long subscriptionId, EntityKind kind, string group, string name, string type, CancellationToken cancellationToken)
    {
        var kindName = KindName(kind);
        var existing = await db.MetadataFields.FirstOrDefaultAsync(
            f => f.SubscriptionId == subscriptionId && f.Kind == kindName && f.Group == group && f.Name == name, cancellationToken);
        if (existing is { IsDeleted: true })
        {
            (existing.IsDeleted, existing.Type) = (false, type);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (existing is not null || !await AddFieldAsync(subscriptionId, kind, group, name, name, type, cancellationToken))
            return existing?.Type ?? (await db.MetadataFields.AsNoTracking().FirstAsync(
                f => f.SubscriptionId == subscriptionId && f.Kind == kindName && f.Group == group && f.Name == name, cancellationToken)).Type;
        return type;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex FieldName();
}

/// <summary>A metadata write that cannot be done as asked; the message says why.</summary>
public sealed class MetadataException(string message) : Exception(message);

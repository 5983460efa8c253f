using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Core.Events;

namespace Guidepost.Ingestion.Pipeline;

/// <summary>Why an accepted event was deliberately not stored.</summary>
public enum DropReason
{
    ExcludedIp,
    AnonymousVisitor,
    ExcludedVisitor,
    ExcludedAccount,
}

/// <summary>What the steps of one request share: its target, and the metadata and links they derive.</summary>
internal sealed class StepContext(IngestionTarget target)
{
    public IngestionTarget Target { get; } = target;
    public List<MetadataUpdate> Metadata { get; } = [];
    public List<IdentityLink> Links { get; } = [];
}

/// <summary>One stage of ingestion: may rewrite the event, derive metadata from it, or drop it.</summary>
internal interface IIngestionStep
{
    DropReason? Apply(ref StoredEvent e, StepContext context);
}

internal sealed class DropExcludedIp : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context)
    {
        if (context.Target.ExcludedNetworks.Length == 0 || !IPAddress.TryParse(e.RemoteIp, out var address)) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in context.Target.ExcludedNetworks)
            if (network.Contains(address)) return DropReason.ExcludedIp;
        return null;
    }
}

internal sealed class DropAnonymousVisitors : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context) =>
        !context.Target.CollectAnonymousVisitors && AnonymousVisitors.Is(e.VisitorId) ? DropReason.AnonymousVisitor : null;
}

internal sealed class DropExcludedVisitors : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context) =>
        context.Target.ExcludedVisitors.Contains(e.VisitorId) ? DropReason.ExcludedVisitor : null;
}

internal sealed class DropExcludedAccounts : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context) =>
        e.AccountId is not null && context.Target.ExcludedAccounts.Contains(e.AccountId) ? DropReason.ExcludedAccount : null;
}

/// <summary>Removes the application's PII fields from the visitor and account objects of meta events,
/// before anything is written, so they exist nowhere in the store.</summary>
internal sealed class StripPii : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context)
    {
        if (e.Type != "meta" || context.Target.PiiFields.Count == 0 || e.Properties is null) return null;
        var props = JsonNode.Parse(e.Properties)!.AsObject();
        var removed = false;
        foreach (var entity in new[] { "visitor", "account", "parentAccount" })
            if (props[entity] is JsonObject fields)
                foreach (var field in context.Target.PiiFields)
                    removed |= fields.Remove(field);
        if (removed) e = e with { Properties = props.ToJsonString() };
        return null;
    }
}

/// <summary>An identify event from an anonymous visitor links that anonymous id to the identified one.</summary>
internal sealed class LinkAnonymousVisitors : IIngestionStep
{
    public DropReason? Apply(ref StoredEvent e, StepContext context)
    {
        if (e.Type != "identify" || e.Properties is null || AnonymousVisitors.Is(e.VisitorId)) return null;
        using var props = JsonDocument.Parse(e.Properties);
        if (props.RootElement.TryGetProperty("old_visitor_id", out var old) && old.ValueKind == JsonValueKind.String
            && old.GetString() is { } oldId && AnonymousVisitors.Is(oldId))
            context.Links.Add(new IdentityLink(e.SubscriptionId, oldId, e.VisitorId, e.BrowserTime));
        return null;
    }
}

/// <summary>A meta event sets the agent metadata of its visitor, account and parent account; per field,
/// the latest value wins.</summary>
internal sealed class RecordAgentMetadata : IIngestionStep
{
    public const string Group = "agent";

    public DropReason? Apply(ref StoredEvent e, StepContext context)
    {
        if (e.Type != "meta" || e.Properties is null) return null;
        using var props = JsonDocument.Parse(e.Properties);
        var root = props.RootElement;
        Record(context, e, root, "visitor", EntityKind.Visitor, e.VisitorId);
        Record(context, e, root, "account", EntityKind.Account, e.AccountId);
        if (root.TryGetProperty("parentAccount", out var parent) && parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty("id", out var parentId) && parentId.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            Record(context, e, root, "parentAccount", EntityKind.Account, parentId.ValueKind == JsonValueKind.String ? parentId.GetString() : parentId.GetRawText());
        return null;
    }

    private static void Record(StepContext context, StoredEvent e, JsonElement root, string name, EntityKind kind, string? entityId)
    {
        if (string.IsNullOrEmpty(entityId) || !root.TryGetProperty(name, out var fields) || fields.ValueKind != JsonValueKind.Object) return;
        foreach (var field in fields.EnumerateObject())
        {
            if (field.NameEquals("id")) continue;
            context.Metadata.Add(new MetadataUpdate(e.SubscriptionId, kind, entityId, Group, field.Name, field.Value.GetRawText(), e.BrowserTime));
        }
    }
}

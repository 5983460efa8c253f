using System.Text.Json;
using Guidepost.Config.Entities.Guides;
using Guidepost.Core.Events;
using Guidepost.Core.Guides;
using Guidepost.Guides.Authoring;
using Guidepost.Query.Segments;
using Microsoft.Extensions.Logging;

namespace Guidepost.Guides.Delivery;

/// <summary>The outcome of a guide request.</summary>
public enum GuideAnswer
{
    /// <summary>A payload to send.</summary>
    Guides,

    /// <summary>No application has the API key.</summary>
    UnknownKey,

    /// <summary>The visitor (or their account) must not be processed: HTTP 451, which stops the agent.</summary>
    DoNotProcess,
}

/// <summary>What <c>guide.json</c> answers one visitor (Pendo's <c>pendo.guidesPayload</c>): the staged or public
/// guides they may see, each step with where the visitor stands on it, rebuilt from their stored guide events.</summary>
public sealed class GuideDelivery(
    GuideLibrary library, IEventStore store, SegmentChecker segments, GuideCatalog catalog, TimeProvider time, ILogger<GuideDelivery> logger)
{
    public async Task<(GuideAnswer Answer, GuidePayload? Payload)> AnswerAsync(string apiKey, GuideRequest request, CancellationToken cancellationToken)
    {
        var app = await library.FindAsync(apiKey, cancellationToken);
        if (app is null) return (GuideAnswer.UnknownKey, null);
        var subscription = app.Application.SubscriptionId;
        var visitor = await store.FindEntityAsync(subscription, EntityKind.Visitor, request.VisitorId, cancellationToken);
        if (Flag(visitor, "donotprocess")) return (GuideAnswer.DoNotProcess, null);
        if (request.AccountId is { } accountId
            && Flag(await store.FindEntityAsync(subscription, EntityKind.Account, accountId, cancellationToken), "donotprocess"))
            return (GuideAnswer.DoNotProcess, null);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var staging = app.Application.StagingHosts.Contains(request.Host, StringComparer.OrdinalIgnoreCase);
        var shown = new List<DeliverableGuide>();
        if (!Flag(visitor, "blacklistguides") && !app.Application.Disabled)
            foreach (var guide in app.Guides)
            {
                if (guide.Guide.State == GuideState.Staged && !staging) continue;
                if (!guide.IsScheduledAt(now)) continue;
                if (guide.Segment is { } segment
                    && !await segments.IsMemberAsync(subscription, [app.Application.Id], segment, request.VisitorId, cancellationToken)) continue;
                var (rendered, errors) = guide.Render(GuideLanguages.For(request.Language, guide.Definition.AuthoredLanguage));
                if (rendered is null)
                {
                    logger.LogWarning("Guide {GuideId} is not delivered: its content no longer renders: {Problems}", guide.Guide.Id, string.Join("; ", errors));
                    continue;
                }
                shown.Add(guide);
            }

        var states = await StatesAsync(subscription, request, shown, cancellationToken);
        return (GuideAnswer.Guides, new GuidePayload(apiKey, app.Application, request, shown, states));
    }

    /// <summary>The visitor's step states (their own and, until the identify is stored, those of the anonymous id
    /// they had), less what a reset of the guide or of the visitor forgot.</summary>
    private async Task<Dictionary<(string Guide, string Step), GuideStepState>> StatesAsync(
        long subscription, GuideRequest request, IReadOnlyList<DeliverableGuide> guides, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string Guide, string Step), GuideStepState>();
        if (guides.Count == 0) return found;
        var resetAt = guides.Where(g => g.Guide.ResetAt is not null).ToDictionary(g => g.Guide.Id, g => g.Guide.ResetAt!.Value);
        var resets = await catalog.ListResetsAsync(subscription, request.VisitorId, cancellationToken);
        IEnumerable<string> visitors = request.OldVisitorId is { } old && old != request.VisitorId ? [request.VisitorId, old] : [request.VisitorId];
        foreach (var visitor in visitors)
            foreach (var state in await store.ListGuideStatesAsync(subscription, visitor, cancellationToken))
            {
                if (resetAt.TryGetValue(state.GuideId, out var at) && state.Time < at) continue;
                if (resets.Any(r => (r.GuideId is null || r.GuideId == state.GuideId) && state.Time < r.At)) continue;
                var key = (state.GuideId, state.StepId);
                if (found.TryGetValue(key, out var other))
                    found[key] = (state.Time >= other.Time ? state : other) with { DismissCount = state.DismissCount + other.DismissCount };
                else found[key] = state;
            }
        return found;
    }

    private static bool Flag(EntityRecord? entity, string field) =>
        entity?.Metadata.TryGetValue("pendo", out var pendo) == true && pendo.TryGetValue(field, out var value) && value == "true";
}

/// <summary>One visitor's <c>guide.json</c> body, written by <see cref="Write"/>.</summary>
public sealed class GuidePayload
{
    private readonly string _apiKey;
    private readonly Config.Entities.Application _application;
    private readonly GuideRequest _request;
    private readonly IReadOnlyList<DeliverableGuide> _guides;
    private readonly Dictionary<(string Guide, string Step), GuideStepState> _states;

    internal GuidePayload(
        string apiKey, Config.Entities.Application application, GuideRequest request, IReadOnlyList<DeliverableGuide> guides,
        Dictionary<(string Guide, string Step), GuideStepState> states) =>
        (_apiKey, _application, _request, _guides, _states) = (apiKey, application, request, guides, states);

    /// <summary>Writes the payload. Step content is inline, and also served by URL under <paramref name="contentBase"/>
    /// (the server's own origin, as the agent reached it) for clients that load it lazily.</summary>
    /// <param name="requestId">The agent's request counter, echoed: an answer with another id is ignored by the agent.</param>
    public void Write(Utf8JsonWriter json, string? requestId, string contentBase)
    {
        json.WriteStartObject();
        if (requestId is not null) json.WriteString("id", requestId);
        json.WriteStartArray("guides");
        foreach (var guide in _guides) WriteGuide(json, guide, contentBase);
        json.WriteEndArray();
        WriteLastStepSeen(json);
        json.WriteString("normalizedUrl", _request.NormalizedUrl);
        var settings = _application.Guides;
        json.WriteStartObject("throttling");
        json.WriteBoolean("enabled", settings.ThrottlingEnabled);
        json.WriteNumber("interval", settings.ThrottlingInterval);
        json.WriteString("unit", settings.ThrottlingUnit);
        json.WriteEndObject();
        WriteLatest(json, "latestDismissedAutoAt", s => s.State == GuideSeenState.Dismissed);
        WriteLatest(json, "finalAdvancedAutoAt", s => s.State == GuideSeenState.Advanced && IsFinalStep(s));
        WriteLatest(json, "latestSnoozedAutoAt", s => s.State == GuideSeenState.Snoozed);
        json.WriteStartArray("autoOrdering");
        foreach (var guide in _guides.Where(g => g.IsAutomatic).OrderByDescending(g => g.Definition.Priority).ThenBy(g => g.Version.CreatedAt).ThenBy(g => g.Guide.Id))
            json.WriteStringValue(guide.Guide.Id);
        json.WriteEndArray();
        json.WriteStartArray("features");
        json.WriteEndArray();
        json.WriteBoolean("designerEnabled", false);
        json.WriteStartObject("guideWidget");
        json.WriteBoolean("enabled", false);
        json.WriteStartObject("data");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void WriteGuide(Utf8JsonWriter json, DeliverableGuide guide, string contentBase)
    {
        var definition = guide.Definition;
        var rendered = guide.Render(GuideLanguages.For(_request.Language, definition.AuthoredLanguage)).Guide!;
        json.WriteStartObject();
        json.WriteString("id", guide.Guide.Id);
        json.WriteString("name", guide.Version.Name);
        json.WriteString("launchMethod", definition.LaunchMethod);
        json.WriteBoolean("isMultiStep", guide.Steps.Count > 1);
        json.WriteString("state", guide.Guide.State == GuideState.Staged ? "staged" : "public");
        json.WriteNumber("appId", guide.Guide.ApplicationId);
        json.WriteString("language", rendered.Language);
        json.WriteString("authoredLanguage", definition.AuthoredLanguage);
        json.WriteNumber("lastUpdatedAt", guide.Version.CreatedAt);
        json.WriteNumber("publishedAt", guide.Version.CreatedAt);
        if (definition.ShowsAfter is { } shows) json.WriteNumber("showsAfter", shows);
        if (definition.ExpiresAfter is { } expires) json.WriteNumber("expiresAfter", expires);
        if (definition.Redisplay is { } redisplay)
        {
            json.WriteStartObject("redisplay");
            json.WriteNumber("interval", redisplay.IntervalDays * 86_400_000L);
            json.WriteNumber("maxDismissals", redisplay.MaxDismissals);
            json.WriteEndObject();
        }
        json.WriteStartObject("attributes");
        json.WriteString("type", "building-block");
        json.WriteStartObject("device");
        json.WriteBoolean("desktop", definition.Device != "mobile");
        json.WriteBoolean("mobile", definition.Device != "desktop");
        json.WriteEndObject();
        json.WriteNumber("priority", definition.Priority);
        json.WriteBoolean("overrideAutoThrottling", definition.OverrideThrottling);
        json.WriteBoolean("isOnboarding", definition.IsOnboarding);
        json.WriteBoolean("doNotResume", definition.DoNotResume);
        // Never isAnnouncement: for the Pendo agent that marks a resource-center announcement, which it never shows
        // on the page (step.canShow is false); Guidepost's announcements are ordinary on-page guides.
        if (definition.Activation is { } activation)
        {
            json.WriteStartObject("activation");
            json.WriteString("selector", activation.Selector);
            json.WriteStartArray("event");
            foreach (var e in activation.Events) json.WriteStringValue(e);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (definition.Badge is { } badge)
        {
            var imageUrl = badge.ImageUrl ?? $"{contentBase}/guide-badge.svg";
            json.WriteStartObject("badge");
            json.WriteString("position", badge.Position);
            json.WriteString("imageUrl", imageUrl);
            json.WriteNumber("width", badge.Width);
            json.WriteNumber("height", badge.Height);
            // The Pendo agent draws a building-block guide's badge from this node alone (and stops the guide without it).
            json.WriteStartObject("domJson");
            json.WriteString("type", "img");
            json.WriteStartObject("props");
            json.WriteString("src", imageUrl);
            json.WriteString("alt", guide.Version.Name);
            json.WriteStartObject("style");
            json.WriteString("width", $"{badge.Width}px");
            json.WriteString("height", $"{badge.Height}px");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (guide.Steps.Select(s => s.Definition.EmbedSelector).FirstOrDefault(s => s is not null) is { } embedIn)
        {
            json.WriteStartObject("embedConfig");
            json.WriteString("selector", embedIn);
            json.WriteString("method", "append");
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WritePropertyName("polls");
        rendered.Polls.WriteTo(json);
        json.WriteStartArray("steps");
        for (var i = 0; i < guide.Steps.Count; i++) WriteStep(json, guide, guide.Steps[i], rendered.Steps[i], rendered.Language, contentBase);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteStep(Utf8JsonWriter json, DeliverableGuide guide, DeliverableStep step, StepPayload content, string language, string contentBase)
    {
        json.WriteStartObject();
        json.WriteString("id", step.Id);
        json.WriteString("guideId", guide.Guide.Id);
        json.WriteString("type", "building-block");
        if (step.Definition.Name is { } name) json.WriteString("name", name);
        json.WriteNumber("lastUpdatedAt", guide.Version.CreatedAt);
        if (step.RegexUrlRule is { } regex) json.WriteString("regexUrlRule", regex);
        if (step.Definition.ElementRule is { } element) json.WriteString("elementPathRule", element);
        json.WriteString("advanceMethod", step.Definition.AdvanceMethod);
        json.WritePropertyName("attributes");
        content.Attributes.WriteTo(json);
        json.WriteBoolean("hideCredits", true);
        json.WriteStartArray("pollIds");
        foreach (var poll in content.PollIds) json.WriteStringValue(poll);
        json.WriteEndArray();
        var url = $"{contentBase}/guide-content/{Uri.EscapeDataString(_apiKey)}/{guide.Guide.Id}/{step.Id}/{language}/{content.Hash}";
        json.WriteString("domUrl", url + ".dom.json");
        json.WriteString("domJsonpUrl", url + ".dom.jsonp");
        // Inline as well: the agent renders inline content at once, while content it must fetch pauses its guide loop,
        // which a guide reload during the fetch can leave paused for good (seen about once in twenty page loads).
        json.WritePropertyName("domJson");
        json.WriteRawValue(content.Json, skipInputValidation: true);
        if (_states.TryGetValue((guide.Guide.Id, step.Id), out var state))
        {
            json.WriteString("seenState", SeenStateName(state.State));
            if (state.SeenReason is { } reason) json.WriteString("seenReason", reason);
            json.WriteNumber("lastSeenAt", state.Time);
            json.WriteNumber("dismissCount", state.DismissCount);
            if (state.SnoozeEndTime is { } snoozeEnd) json.WriteNumber("snoozeEndTime", snoozeEnd);
        }
        json.WriteEndObject();
    }

    /// <summary>The visitor's latest step state: the agent continues a walkthrough from it (and shows nothing at all
    /// without this key).</summary>
    private void WriteLastStepSeen(Utf8JsonWriter json)
    {
        json.WriteStartObject("lastGuideStepSeen");
        json.WriteString("visitorId", _request.VisitorId);
        if (_states.Values.MaxBy(s => s.Time) is { } last)
        {
            json.WriteString("guideId", last.GuideId);
            json.WriteString("guideStepId", last.StepId);
            json.WriteNumber("time", last.Time);
            json.WriteString("state", SeenStateName(last.State));
            if (last.SeenReason is { } reason) json.WriteString("seenReason", reason);
            if (last.DestinationStepId is { } destination) json.WriteString("destinationStepId", destination);
            json.WriteNumber("dismissCount", last.DismissCount);
            if (last.SnoozeEndTime is { } snoozeEnd) json.WriteNumber("snoozeEndTime", snoozeEnd);
        }
        json.WriteEndObject();
    }

    /// <summary>The latest time an automatic guide ended the given way (throttling counts from it).</summary>
    private void WriteLatest(Utf8JsonWriter json, string name, Func<GuideStepState, bool> ended)
    {
        var latest = _states.Values.Where(s => s.SeenReason == "auto" && ended(s)).Select(s => (long?)s.Time).Max();
        if (latest is { } at) json.WriteNumber(name, at);
    }

    private bool IsFinalStep(GuideStepState state) =>
        _guides.FirstOrDefault(g => g.Guide.Id == state.GuideId) is { } guide && guide.Steps[^1].Id == state.StepId;

    private static string SeenStateName(GuideSeenState state) => state switch
    {
        GuideSeenState.Active => "active",
        GuideSeenState.Advanced => "advanced",
        GuideSeenState.Dismissed => "dismissed",
        GuideSeenState.Snoozed => "snoozed",
        _ => "notSeen",
    };
}

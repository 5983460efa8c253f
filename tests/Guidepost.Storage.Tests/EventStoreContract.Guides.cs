using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Core.Guides;

namespace Guidepost.Storage.Tests;

/// <summary>Guide step states: what the store answers for a visitor, against a fold of the generated events
/// written out here.</summary>
public abstract partial class EventStoreContract
{
    protected static StoredEvent GuideEvent(long subscription, string visitor, string type, long time, object? props) =>
        Event(subscription, 1, time, visitor, type) with { TabId = "t", FrameId = "f", Properties = props is null ? null : JsonSerializer.Serialize(props) };

    [Fact]
    public async Task A_guide_steps_state_is_its_latest_event_and_its_dismissals_add_up()
    {
        var store = await OpenAsync(NewStorage());
        StoredEvent Guide(string type, long time, object props) => GuideEvent(1, "alice", type, time, props);
        var seen = Guide("guideSeen", 1000, new { guide_id = "g", guide_step_id = "s1", reason = "auto" });
        var dismissed = Guide("guideDismissed", 2000, new { guide_id = "g", guide_step_id = "s1", seen_reason = "auto" });
        // Shown again by its badge, and advanced in the same millisecond; the late and re-sent events above come after.
        await store.AppendAsync(IngestBatch.Of([
            Guide("guideAdvanced", 3000, new { guide_id = "g", guide_step_id = "s1", seen_reason = "badge", destination_step_id = "s2" }),
            Guide("guideSeen", 3000, new { guide_id = "g", guide_step_id = "s1", reason = "badge" }),
            Guide("guideSnoozed", 4000, new { guide_id = "g", guide_step_id = "s2", seen_reason = "badge" }),
            Guide("guideSnoozed", 5000, new { guide_id = "g", guide_step_id = "s3", seen_reason = "auto", snooze_duration = 60_000 }),
            Guide("guideSnoozeCanceled", 6000, new { guide_id = "g", guide_step_id = "s3", seen_reason = "launcher" }),
            Guide("guideNotSeen", 7000, new { guide_id = "g", guide_step_id = "s4", reason = "control" }),
            Guide("guideTimeout", 9000, new { guide_id = "g", guide_step_id = "s4", seen_reason = "auto", guideSeenTimeoutLength = 5000 }),
            Guide("guideActivity", 9000, new { guide_id = "g", guide_step_id = "s5", ui_element_id = "b" }),
            Guide("guideSeen", 9000, new { guide_id = "g", reason = "auto" }),
            Guide("guideSeen", 9000, new { guide_step_id = "s6", reason = "auto" }),
        ]), CancellationToken.None);
        await store.AppendAsync(IngestBatch.Of([dismissed, seen]), CancellationToken.None);
        await store.AppendAsync(IngestBatch.Of([dismissed]), CancellationToken.None);
        // A visitor's and its anonymous id's events in one millisecond: the action wins, whichever id sent it.
        await store.AppendAsync(new IngestBatch([
            GuideEvent(1, "_PENDO_T_a", "guideAdvanced", 8000, new { guide_id = "g", guide_step_id = "s7", seen_reason = "auto" }),
            Guide("guideSeen", 8000, new { guide_id = "g", guide_step_id = "s7", reason = "continue" }),
            GuideEvent(1, "_PENDO_T_a", "guideSeen", 8000, new { guide_id = "g", guide_step_id = "s8", reason = "auto" }),
            Guide("guideDismissed", 8000, new { guide_id = "g", guide_step_id = "s8", seen_reason = "auto" }),
        ], [], [new IdentityLink(1, "_PENDO_T_a", "alice", 8000)]), CancellationToken.None);

        (await store.ListGuideStatesAsync(1, "alice", CancellationToken.None)).OrderBy(s => s.StepId, StringComparer.Ordinal).ShouldBe([
            new GuideStepState("g", "s1", GuideSeenState.Advanced, "badge", 3000, 1, null, "s2"),
            new GuideStepState("g", "s2", GuideSeenState.Snoozed, "badge", 4000, 0, 4000 + 86_400_000, null),
            new GuideStepState("g", "s3", GuideSeenState.Active, "launcher", 6000, 0, null, null),
            new GuideStepState("g", "s4", GuideSeenState.NotSeen, null, 7000, 0, null, null),
            new GuideStepState("g", "s7", GuideSeenState.Advanced, "auto", 8000, 0, null, null),
            new GuideStepState("g", "s8", GuideSeenState.Dismissed, "auto", 8000, 1, null, null),
        ]);
        (await store.ListGuideStatesAsync(2, "alice", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Guide_states_merge_a_visitors_anonymous_ids_and_match_a_fold_of_the_events()
    {
        var store = await OpenAsync(NewStorage());
        var (events, links) = GuideEvents();
        await AppendGuideEventsAsync(store, events, links);

        foreach (var subscription in new long[] { 1, 2 })
            foreach (var visitor in new[] { "alice", "bob", "_PENDO_T_anon", "_PENDO_T_late", "nobody" })
            {
                var states = await store.ListGuideStatesAsync(subscription, visitor, CancellationToken.None);
                states.OrderBy(s => s.GuideId, StringComparer.Ordinal).ThenBy(s => s.StepId, StringComparer.Ordinal).ToList()
                    .ShouldBe(ExpectedGuideStates(events, links, subscription, visitor), $"{subscription}/{visitor}");
            }

        // The generated events cover what the fold must get right.
        var alice = ExpectedGuideStates(events, links, 1, "alice");
        alice.ShouldContain(s => s.DismissCount > 1);
        alice.ShouldNotBe(ExpectedGuideStates(events, [], 1, "alice"), "the anonymous id's events change alice's states");
        events.ShouldContain(e => e.Type == "guideSeen" && events.Any(a => a.Type == "guideAdvanced" && a.BrowserTime == e.BrowserTime && a.VisitorId == e.VisitorId
            && Props(a).GetValueOrDefault("guide_step_id") == Props(e).GetValueOrDefault("guide_step_id")));
    }

    /// <summary>Random guide events of two subscriptions: the same visitor ids in both, anonymous ids linked in
    /// subscription 1 only, steps with several dismissals, advances sent in the millisecond of their view, and
    /// events without a guide or step id. Times fall in a narrow range, so a step's events often share one.</summary>
    protected static (List<StoredEvent> Events, List<IdentityLink> Links) GuideEvents()
    {
        var random = new Random(17);
        string[] types = ["guideSeen", "guideSeen", "guideSeen", "guideAdvanced", "guideDismissed", "guideDismissed", "guideSnoozed",
            "guideSnoozeCanceled", "guideNotSeen", "guideTimeout", "guideActivity"];
        string[] visitors = ["alice", "bob", "_PENDO_T_anon", "_PENDO_T_late"];
        string[] reasons = ["auto", "continue", "badge"];
        var start = 1_700_000_000_000L;
        var events = new List<StoredEvent>();
        for (var i = 0; i < 1200; i++)
        {
            var type = types[random.Next(types.Length)];
            var guide = $"guide-{random.Next(3)}";
            var props = new Dictionary<string, object?> { ["guide_id"] = guide, ["guide_step_id"] = $"{guide}-step-{random.Next(3)}", ["duration"] = i };
            if (random.Next(30) == 0) props.Remove(random.Next(2) == 0 ? "guide_id" : "guide_step_id");
            if (random.Next(40) == 0) props["guide_step_id"] = "";
            props[type is "guideSeen" or "guideNotSeen" ? "reason" : "seen_reason"] = type == "guideNotSeen" ? "control" : reasons[random.Next(reasons.Length)];
            if (type == "guideSnoozed" && random.Next(2) == 0) props["snooze_duration"] = random.Next(1, 10) * 3_600_000L;
            if (type == "guideAdvanced" && random.Next(3) != 0) props["destination_step_id"] = $"{guide}-step-{random.Next(3)}";
            var e = GuideEvent(1 + random.Next(2), visitors[random.Next(visitors.Length)], type, start + random.Next(0, 400), props);
            events.Add(e);
            if (type == "guideAdvanced" && random.Next(2) == 0)
            {
                var seen = props.Where(p => p.Key is not ("seen_reason" or "destination_step_id")).Append(new("reason", "auto")).ToDictionary();
                events.Add(e with { Type = "guideSeen", Properties = JsonSerializer.Serialize(seen) });
            }
        }
        return (events, [new IdentityLink(1, "_PENDO_T_anon", "alice", start + 100), new IdentityLink(1, "_PENDO_T_late", "bob", start + 300)]);
    }

    /// <summary>Shuffled batches with a sixth of the events sent twice; the links arrive with the third batch.</summary>
    protected static async Task AppendGuideEventsAsync(IEventStore store, List<StoredEvent> events, List<IdentityLink> links)
    {
        var random = new Random(23);
        var deliveries = events.Concat(events.Where((_, i) => i % 6 == 0)).OrderBy(_ => random.Next()).ToList();
        var batches = deliveries.Chunk(61).ToList();
        for (var b = 0; b < batches.Count; b++)
            await store.AppendAsync(new IngestBatch(batches[b], [], b == 2 ? links : []), CancellationToken.None);
    }

    /// <summary>The fold the store must agree with, over the generated events themselves.</summary>
    protected static List<GuideStepState> ExpectedGuideStates(List<StoredEvent> events, List<IdentityLink> links, long subscription, string visitor)
    {
        var ids = links.Where(l => l.SubscriptionId == subscription && l.VisitorId == visitor).Select(l => l.AnonymousVisitorId).Append(visitor).ToHashSet();
        var folded =
            from e in events.Distinct()
            where e.SubscriptionId == subscription && ids.Contains(e.VisitorId)
            let props = Props(e)
            let state = e.Type switch
            {
                "guideSeen" or "guideSnoozeCanceled" => GuideSeenState.Active,
                "guideAdvanced" => GuideSeenState.Advanced,
                "guideDismissed" => GuideSeenState.Dismissed,
                "guideSnoozed" => GuideSeenState.Snoozed,
                "guideNotSeen" => GuideSeenState.NotSeen,
                _ => (GuideSeenState?)null,
            }
            let guide = props.GetValueOrDefault("guide_id")
            let step = props.GetValueOrDefault("guide_step_id")
            where state is not null && !string.IsNullOrEmpty(guide) && !string.IsNullOrEmpty(step)
            group (Event: e, State: state.Value, Props: props) by (Guide: guide, Step: step) into steps
            let last = steps.MaxBy(s => (s.Event.BrowserTime, s.State is GuideSeenState.Advanced or GuideSeenState.Dismissed or GuideSeenState.Snoozed, EventIdentity.Of(s.Event)))
            select new GuideStepState(steps.Key.Guide, steps.Key.Step, last.State,
                last.Props.GetValueOrDefault(last.Event.Type == "guideSeen" ? "reason" : "seen_reason"), last.Event.BrowserTime,
                steps.Count(s => s.State == GuideSeenState.Dismissed),
                last.State == GuideSeenState.Snoozed ? last.Event.BrowserTime + long.Parse(last.Props.GetValueOrDefault("snooze_duration") ?? "86400000") : null,
                last.State == GuideSeenState.Advanced ? last.Props.GetValueOrDefault("destination_step_id") : null);
        return [.. folded.OrderBy(s => s.GuideId, StringComparer.Ordinal).ThenBy(s => s.StepId, StringComparer.Ordinal)];
    }

    /// <summary>A generated event's props, each value as its text.</summary>
    private static Dictionary<string, string> Props(StoredEvent e) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(e.Properties!)!.ToDictionary(p => p.Key, p => p.Value.ToString());
}

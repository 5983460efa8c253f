using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Core.Guides;
using Microsoft.Data.Sqlite;

namespace Guidepost.Storage.Sqlite;

/// <summary>Within a batch's transaction, folds each newly stored guide event into its visitor's row of
/// <c>guide_states</c> for the event's guide step.</summary>
/// <remarks>The schema migration that creates the table fills it from stored events with the same rules
/// written in SQL (<see cref="SqliteEventSchema"/>); the two must read props alike, so repeated keys count
/// by their first occurrence (as SQLite's <c>json_extract</c> does) and only JSON strings and integers are taken.</remarks>
internal sealed class SqliteGuideStateWriter(SqliteConnection connection) : IDisposable
{
    /// <summary>What <c>guideSnoozed</c> means without a <c>snooze_duration</c>: one day.</summary>
    private const long DefaultSnoozeMs = 86_400_000;

    // The state columns move only to a later event: browser time, then an acting state over a seen one
    // (the agent sends guideSeen and the action in one millisecond), then identity, so the row never
    // depends on arrival order.
    private readonly RawStatement _upsert = new(connection, """
        INSERT INTO guide_states (subscription_id, visitor_id, guide_id, step_id, state, seen_reason, time, identity,
            snooze_end_time, destination_step_id, dismiss_count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)
        ON CONFLICT DO UPDATE SET state = excluded.state, seen_reason = excluded.seen_reason, time = excluded.time,
            identity = excluded.identity, snooze_end_time = excluded.snooze_end_time, destination_step_id = excluded.destination_step_id
        WHERE (excluded.time, excluded.state IN (1, 2, 3), excluded.identity) > (guide_states.time, guide_states.state IN (1, 2, 3), guide_states.identity);
        """);

    private readonly RawStatement _countDismissal = new(connection, """
        UPDATE guide_states SET dismiss_count = dismiss_count + 1
        WHERE subscription_id = ?1 AND visitor_id = ?2 AND guide_id = ?3 AND step_id = ?4;
        """);

    /// <summary>Folds in a newly stored event; events of other types, and guide events without a guide
    /// and step id, change nothing.</summary>
    public void Add(StoredEvent e, long identity)
    {
        GuideSeenState? state = e.Type switch
        {
            "guideSeen" or "guideSnoozeCanceled" => GuideSeenState.Active,
            "guideAdvanced" => GuideSeenState.Advanced,
            "guideDismissed" => GuideSeenState.Dismissed,
            "guideSnoozed" => GuideSeenState.Snoozed,
            "guideNotSeen" => GuideSeenState.NotSeen,
            _ => null,
        };
        if (state is not { } s || e.Properties is null || Props.Read(e.Properties) is not { GuideId: { } guide, StepId: { } step } props) return;

        var upsert = _upsert;
        upsert.Bind(1, e.SubscriptionId);
        upsert.Bind(2, e.VisitorId);
        upsert.Bind(3, guide);
        upsert.Bind(4, step);
        upsert.Bind(5, (long)s);
        upsert.Bind(6, e.Type == "guideSeen" ? props.Reason : props.SeenReason);
        upsert.Bind(7, e.BrowserTime);
        upsert.Bind(8, identity);
        upsert.Bind(9, s == GuideSeenState.Snoozed ? SnoozeEnd(e.BrowserTime, props.SnoozeDuration ?? DefaultSnoozeMs) : null);
        upsert.Bind(10, s == GuideSeenState.Advanced ? props.DestinationStepId : null);
        upsert.Execute();
        if (s != GuideSeenState.Dismissed) return;
        var count = _countDismissal;
        count.Bind(1, e.SubscriptionId);
        count.Bind(2, e.VisitorId);
        count.Bind(3, guide);
        count.Bind(4, step);
        count.Execute();
    }

    // Saturates rather than wrapping on an absurd duration.
    private static long SnoozeEnd(long time, long duration) => duration > long.MaxValue - time ? long.MaxValue : time + duration;

    /// <summary>The props a guide step's state reads; an empty guide or step id counts as none.</summary>
    private readonly record struct Props(string? GuideId, string? StepId, string? Reason, string? SeenReason, long? SnoozeDuration, string? DestinationStepId)
    {
        public static Props? Read(string properties)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(properties);
            }
            catch (JsonException)
            {
                return null;
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
                JsonElement guide = default, step = default, reason = default, seenReason = default, snooze = default, destination = default;
                foreach (var p in document.RootElement.EnumerateObject())
                {
                    if (p.NameEquals("guide_id"u8)) First(ref guide, p.Value);
                    else if (p.NameEquals("guide_step_id"u8)) First(ref step, p.Value);
                    else if (p.NameEquals("reason"u8)) First(ref reason, p.Value);
                    else if (p.NameEquals("seen_reason"u8)) First(ref seenReason, p.Value);
                    else if (p.NameEquals("snooze_duration"u8)) First(ref snooze, p.Value);
                    else if (p.NameEquals("destination_step_id"u8)) First(ref destination, p.Value);
                }
                return new Props(NonEmpty(Text(guide)), NonEmpty(Text(step)), Text(reason), Text(seenReason),
                    snooze.ValueKind == JsonValueKind.Number && snooze.TryGetInt64(out var ms) ? ms : null, Text(destination));
            }
        }

        private static void First(ref JsonElement slot, JsonElement value)
        {
            if (slot.ValueKind == JsonValueKind.Undefined) slot = value;
        }

        private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _countDismissal.Dispose();
    }
}

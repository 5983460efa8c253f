namespace Guidepost.Core.Guides;

/// <summary>Where a visitor stands with one guide step, as the guide events stored for them say: the
/// latest event decides the state; dismissals are counted over all of them.</summary>
/// <param name="State">The latest event's meaning, in the agent's words.</param>
/// <param name="SeenReason">Why the step was shown (<c>auto</c>, <c>continue</c>, <c>badge</c>, ...): the
/// <c>reason</c> of a <c>guideSeen</c>, the <c>seen_reason</c> of the others.</param>
/// <param name="Time">Browser time of the latest event, epoch ms.</param>
/// <param name="DismissCount">How many <c>guideDismissed</c> events the step has.</param>
/// <param name="SnoozeEndTime">For a snoozed step: the snooze's time plus its <c>snooze_duration</c> (one day when absent).</param>
/// <param name="DestinationStepId">For an advanced step: the <c>destination_step_id</c> the visitor went to, if any.</param>
public sealed record GuideStepState(
    string GuideId, string StepId, GuideSeenState State, string? SeenReason, long Time, int DismissCount, long? SnoozeEndTime, string? DestinationStepId);

/// <summary>The step states the Pendo agent knows (<c>seenState</c> in <c>guide.json</c>).</summary>
public enum GuideSeenState
{
    /// <summary><c>guideSeen</c>: shown, not yet acted on.</summary>
    Active,

    /// <summary><c>guideAdvanced</c>.</summary>
    Advanced,

    /// <summary><c>guideDismissed</c>.</summary>
    Dismissed,

    /// <summary><c>guideSnoozed</c>.</summary>
    Snoozed,

    /// <summary><c>guideNotSeen</c>: the visitor is in the guide's control group.</summary>
    NotSeen,
}

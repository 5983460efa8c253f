using Guidepost.Core.Events;
using Guidepost.Query.Aggregations.Execution;
using Guidepost.Query.Aggregations.Pipeline;
using Guidepost.Query.Metrics;
using Guidepost.Query.Time;

namespace Guidepost.Query.Aggregations.Sources;

/// <summary>The generator stages <c>pes</c>, <c>adoption</c>, <c>stickiness</c> and <c>growth</c>: one row with
/// the Product Engagement Score (or one part of it) over <c>dayCount</c> days from <c>firstDay</c> (negative:
/// the days before <c>firstDay</c>'s, as a time series counts), for visitors or, with
/// <c>groupBy: "account"</c>, accounts. The same computation as <c>/api/analytics/engagement</c>; adoption
/// counts the pages and features marked as core events (per-request <c>config</c> is not supported yet).</summary>
public sealed class EngagementSource(int index, string part, SourceParameters parameters, TimeSeries window, EntityKind level) : SourceStage(index)
{
    public const int MaxDays = 90;

    public override async IAsyncEnumerable<Row> RunAsync(IAsyncEnumerable<Row> input, PipelineRun run)
    {
        var apps = parameters.ApplicationIds(run);
        var calendar = new ReportCalendar(window.Zone);
        var first = calendar.DayOfMs(window.FromMs);
        var last = calendar.DayOfMs(window.ToMs - 1);
        var days = NodaTime.Period.Between(first, last, NodaTime.PeriodUnits.Days).Days + 1;
        var services = run.Services;
        var core = await EngagementScore.CoreEventsAsync(run.SubscriptionId, apps, services.Tags, services.Matcher, run.Cancellation);
        var result = await services.Engagement.RunAsync(run.SubscriptionId, apps, calendar, last, days, level, core, run.Cancellation);
        var row = new Row(StringComparer.Ordinal);
        if (part is "pes")
        {
            row["pes"] = result.Score;
            row["adoption"] = result.Adoption;
            row["stickiness"] = result.Stickiness;
            row["growth"] = result.Growth;
        }
        else row[part] = part switch { "adoption" => result.Adoption, "stickiness" => result.Stickiness, _ => result.Growth };
        row["active"] = (double)result.Active;
        if (part is "pes" or "growth")
        {
            row["new"] = (double)result.New;
            row["recovered"] = (double)result.Recovered;
            row["dropped"] = (double)result.Dropped;
        }
        yield return row;
    }
}

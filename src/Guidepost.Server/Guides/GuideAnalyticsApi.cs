using System.Text;
using Guidepost.Config.Entities.Guides;
using Guidepost.Config.Tenancy;
using Guidepost.Guides.Analytics;
using Guidepost.Guides.Authoring;
using Guidepost.Server.Analytics;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Guides;

/// <summary>A guide's metrics over local dates (views, visitors, completion, dismissals and time per step; poll
/// answers; NPS over time) and its policy-acceptance report.</summary>
internal static class GuideAnalyticsApi
{
    private static readonly string[] NpsPeriods = ["daily", "weekly", "monthly"];

    public static void MapGuideAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics/guides/{guideId}").WithTags("Analytics").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        analytics.MapGet("/", SummaryAsync);
        analytics.MapGet("/polls", PollsAsync);
        analytics.MapGet("/nps", NpsAsync);
        analytics.MapGet("/acceptances", AcceptancesAsync);
    }

    private sealed record Subject(Guide Guide, GuideDefinition Definition, IReadOnlyList<GuidePoll> Polls, long FromMs, long ToMs);

    /// <summary>The guide as last delivered (or as drafted, before any publish), its polls, and the report range.</summary>
    private static async Task<(Subject? Subject, IResult? Problem)> SubjectAsync(
        string guideId, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, bool needsRange, CancellationToken ct)
    {
        var subscriptionId = http.Caller().SubscriptionId;
        var (fromMs, toMs) = (0L, long.MaxValue);
        if (needsRange)
        {
            var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, ct);
            if (arguments is null) return (null, ApiErrors.Invalid(error!));
            var zone = arguments.Calendar.Zone;
            (fromMs, toMs) = (zone.AtStartOfDay(arguments.First).ToInstant().ToUnixTimeMilliseconds(), zone.AtStartOfDay(arguments.Last.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds());
        }
        var guide = await catalog.FindAsync(subscriptionId, guideId, ct);
        if (guide is null) return (null, ApiErrors.NotFound($"No guide '{guideId}'."));
        var (_, definition) = await catalog.CurrentAsync(guide, ct);
        return (new Subject(guide, definition, GuidePolls.Of(guideId, definition, await catalog.AssetsAsync(subscriptionId, ct)), fromMs, toMs), null);
    }

    private static async Task<IResult> SummaryAsync(
        string guideId, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, GuideMetrics metrics, CancellationToken ct)
    {
        var (subject, problem) = await SubjectAsync(guideId, http, subscriptions, catalog, needsRange: true, ct);
        if (subject is null) return problem!;
        return TypedResults.Ok(await metrics.SummaryAsync(http.Caller().SubscriptionId, subject.Guide.ApplicationId, guideId,
            [.. subject.Definition.Steps.Select(s => s.Id)], subject.FromMs, subject.ToMs, ct));
    }

    private static async Task<IResult> PollsAsync(
        string guideId, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, GuideMetrics metrics, CancellationToken ct)
    {
        var (subject, problem) = await SubjectAsync(guideId, http, subscriptions, catalog, needsRange: true, ct);
        if (subject is null) return problem!;
        return TypedResults.Ok(await metrics.PollsAsync(http.Caller().SubscriptionId, subject.Guide.ApplicationId, guideId, subject.Polls, subject.FromMs, subject.ToMs, ct));
    }

    /// <summary>The score of the guide's NPS poll over the range and per <c>period</c> (daily, weekly, monthly).</summary>
    private static async Task<IResult> NpsAsync(
        string guideId, string? period, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, GuideMetrics metrics, CancellationToken ct)
    {
        period ??= "weekly";
        if (!NpsPeriods.Contains(period)) return ApiErrors.Invalid($"period '{period}' is not one of {string.Join(", ", NpsPeriods)}.");
        var (subject, problem) = await SubjectAsync(guideId, http, subscriptions, catalog, needsRange: true, ct);
        if (subject is null) return problem!;
        if (subject.Polls.FirstOrDefault(p => p.Type == "NPSRating") is not { } poll) return ApiErrors.Invalid($"Guide '{guideId}' asks no NPS question.");
        var (total, periods) = await metrics.NpsAsync(http.Caller().SubscriptionId, subject.Guide.ApplicationId, guideId, poll.Id, period, subject.FromMs, subject.ToMs, ct);
        return TypedResults.Ok(new { pollId = poll.Id, period, total = View(total), periods = periods.Select(View) });

        static object View(NpsScore s) => new { start = s.PeriodStart, s.Promoters, s.Passives, s.Detractors, s.Responses, score = s.Score };
    }

    /// <summary>Who accepted which version of the guide's policy and when; <c>?format=csv</c> for a file.</summary>
    private static async Task<IResult> AcceptancesAsync(
        string guideId, string? format, HttpContext http, SubscriptionService subscriptions, GuideCatalog catalog, GuideMetrics metrics, CancellationToken ct)
    {
        var (subject, problem) = await SubjectAsync(guideId, http, subscriptions, catalog, needsRange: false, ct);
        if (subject is null) return problem!;
        if (subject.Polls.FirstOrDefault(p => p.Type == "PolicyAcceptance") is not { } poll) return ApiErrors.Invalid($"Guide '{guideId}' asks to accept no policy.");
        var rows = await metrics.AcceptancesAsync(http.Caller().SubscriptionId, subject.Guide.ApplicationId, guideId, poll.Id, ct);
        if (format != "csv") return TypedResults.Ok(rows);
        var csv = new StringBuilder("visitorId,accountId,version,acceptedAt\r\n");
        foreach (var row in rows)
            csv.Append(Cell(row.VisitorId)).Append(',').Append(Cell(row.AccountId ?? "")).Append(',').Append(Cell(row.Version)).Append(',')
                .Append(DateTimeOffset.FromUnixTimeMilliseconds(row.AcceptedAt).ToString("yyyy-MM-ddTHH:mm:ss.fffZ")).Append("\r\n");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");

        static string Cell(string text) => text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}

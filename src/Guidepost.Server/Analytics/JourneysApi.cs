using System.Globalization;
using System.Text;
using Guidepost.Config.Tenancy;
using Guidepost.Query.Reports;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using NodaTime;

namespace Guidepost.Server.Analytics;

/// <summary>Funnels, paths, retention and breakdowns (metrics.md), in the subscription's time zone.</summary>
internal static class JourneysApi
{
    public sealed record FunnelRequest(string? From, string? To, string? AppId, List<StepRef>? Steps, string? Mode, int? TimeoutMinutes);

    public sealed record PathsRequest(string? From, string? To, string? AppId, StepRef? Anchor, string? Direction, int? Length);

    public static void MapJourneysApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/analytics").WithTags("Reports").RequireAuthorization().AddEndpointFilter<CallerSubscriptionFilter>();
        analytics.MapPost("/funnel", FunnelAsync);
        analytics.MapPost("/paths", PathsAsync);
        analytics.MapGet("/retention", RetentionAsync);
        analytics.MapGet("/breakdown", BreakdownAsync);
    }

    private static async Task<IResult> FunnelAsync(FunnelRequest body, HttpContext http, SubscriptionService subscriptions, Journeys journeys, CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, body.From, body.To, null, body.AppId, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        if (body.Steps is not { Count: >= 2 and <= 20 } || body.Steps.Contains(null!)) return ApiErrors.Invalid("steps must list 2 to 20 steps, each {\"type\": \"page\"|\"feature\"|\"trackType\", \"id\": ...}.");
        var attempts = body.Mode switch { null or "visitors" => false, "attempts" => true, _ => (bool?)null };
        if (attempts is null) return ApiErrors.Invalid($"mode '{body.Mode}' is not visitors or attempts.");
        if (!attempts.Value && Period.Between(arguments.First, arguments.Last, PeriodUnits.Days).Days >= Journeys.MaxFunnelDays)
            return ApiErrors.Invalid($"A unique-visitor funnel covers at most {Journeys.MaxFunnelDays} days.");
        if (body.TimeoutMinutes is < 1 or > 1440) return ApiErrors.Invalid("timeoutMinutes must be from 1 to 1440.");
        return await RunAsync(async () =>
        {
            var steps = await journeys.FunnelAsync(http.Caller().SubscriptionId, arguments.ApplicationIds, arguments.Calendar, arguments.First, arguments.Last,
                body.Steps, attempts.Value ? Duration.FromMinutes(body.TimeoutMinutes ?? 60) : null, ct);
            return TypedResults.Ok(new
            {
                mode = attempts.Value ? "attempts" : "visitors",
                steps = steps.Select(s => new { name = s.Name, count = s.Count, conversion = steps[0].Count == 0 ? 0 : (double)s.Count / steps[0].Count }),
            });
        });
    }

    private static async Task<IResult> PathsAsync(PathsRequest body, string? format, HttpContext http, SubscriptionService subscriptions, Journeys journeys, CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, body.From, body.To, null, body.AppId, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        if (body.Anchor is null) return ApiErrors.Invalid("anchor is required: {\"type\": \"page\"|\"feature\"|\"trackType\", \"id\": ...}.");
        var leadingTo = body.Direction switch { null or "from" => false, "to" => true, _ => (bool?)null };
        if (leadingTo is null) return ApiErrors.Invalid($"direction '{body.Direction}' is not from or to.");
        if (body.Length is < 1 or > 10) return ApiErrors.Invalid("length must be from 1 to 10.");
        return await RunAsync(async () =>
        {
            var positions = await journeys.PathsAsync(http.Caller().SubscriptionId, arguments.ApplicationIds, arguments.Calendar, arguments.First, arguments.Last,
                body.Anchor, leadingTo.Value, body.Length ?? 5, ct);
            if (format == "csv")
            {
                var csv = new StringBuilder("position,step,visitors,share\r\n");
                foreach (var (steps, position) in positions.Select((s, i) => (s, i + 1)))
                    foreach (var step in steps)
                        csv.Append(CultureInfo.InvariantCulture, $"{position},\"{step.Step.Replace("\"", "\"\"")}\",{step.Visitors},{step.Share:0.####}\r\n");
                return Results.Text(csv.ToString(), "text/csv", Encoding.UTF8);
            }
            return TypedResults.Ok(new { direction = leadingTo.Value ? "to" : "from", positions });
        });
    }

    private static async Task<IResult> RetentionAsync(int? period, int? periods, HttpContext http, SubscriptionService subscriptions, Journeys journeys, CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        if (period is not (null or 1 or 7 or 30)) return ApiErrors.Invalid("period must be 1, 7 or 30 days.");
        if (periods is not (null or 6 or 9 or 12)) return ApiErrors.Invalid("periods must be 6, 9 or 12.");
        var cohorts = await journeys.RetentionAsync(http.Caller().SubscriptionId, arguments.ApplicationIds, arguments.Calendar, arguments.First, arguments.Last,
            period ?? 7, periods ?? 6, ct);
        return TypedResults.Ok(new { periodDays = period ?? 7, cohorts = cohorts.Select(c => new { cohort = c.Cohort.ToString("uuuu-MM-dd", null), size = c.Size, retained = c.Retained }) });
    }

    private static async Task<IResult> BreakdownAsync(string? by, HttpContext http, SubscriptionService subscriptions, Journeys journeys, CancellationToken ct)
    {
        var (arguments, error) = await ReportArguments.ParseAsync(http, subscriptions, ct);
        if (arguments is null) return ApiErrors.Invalid(error!);
        if (by is not ("browser" or "language")) return ApiErrors.Invalid($"by '{by}' is not browser or language.");
        return await RunAsync(async () => TypedResults.Ok(new
        {
            by, rows = await journeys.BreakdownAsync(http.Caller().SubscriptionId, arguments.ApplicationIds, arguments.Calendar, arguments.First, arguments.Last, by == "language", ct),
        }));
    }

    private static async Task<IResult> RunAsync(Func<Task<IResult>> report)
    {
        try
        {
            return await report();
        }
        catch (ReportException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
        catch (Query.Aggregations.AggregationException e)
        {
            return ApiErrors.Of(e.Status, "Report failed", e.Message);
        }
    }
}

using System.Globalization;
using Guidepost.Config.Tenancy;
using Guidepost.Core.Time;
using Guidepost.Query.Time;
using Guidepost.Server.Auth;
using NodaTime;
using NodaTime.Text;

namespace Guidepost.Server.Analytics;

/// <summary>The arguments every report shares, parsed and checked: the local date range, the granularity,
/// the subscription's calendar and the applications read.</summary>
internal sealed record ReportArguments(LocalDate First, LocalDate Last, Granularity Granularity, ReportCalendar Calendar, IReadOnlyList<long> ApplicationIds)
{
    public const int MaxDays = 731;

    /// <summary>Parses the query string's <c>from</c>, <c>to</c>, <c>interval</c> and <c>appId</c>.</summary>
    public static Task<(ReportArguments? Arguments, string? Error)> ParseAsync(HttpContext http, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        return ParseAsync(http, subscriptions, query["from"], query["to"], query["interval"], query["appId"], cancellationToken);
    }

    /// <summary>Parses <c>from</c>, <c>to</c> (ISO dates, inclusive, in the subscription's time zone),
    /// <c>interval</c> (day, week, month) and <c>appId</c> (all applications when absent).</summary>
    public static async Task<(ReportArguments? Arguments, string? Error)> ParseAsync(
        HttpContext http, SubscriptionService subscriptions, string? from, string? to, string? interval, string? appText, CancellationToken cancellationToken)
    {
        if (!TryDate(from, "from", out var first, out var error) || !TryDate(to, "to", out var last, out error))
            return (null, error);
        if (last < first) return (null, $"to ({last:uuuu-MM-dd}) is before from ({first:uuuu-MM-dd}).");
        if (Period.Between(first, last, PeriodUnits.Days).Days >= MaxDays) return (null, $"A report covers at most {MaxDays} days.");

        var granularity = Granularity.Day;
        if (!string.IsNullOrEmpty(interval) && !Enum.TryParse(interval, ignoreCase: true, out granularity))
            return (null, $"interval '{interval}' is not one of day, week, month.");

        var caller = http.Caller();
        var subscription = await subscriptions.FindSubscriptionAsync(caller.SubscriptionId, cancellationToken);
        var apps = await subscriptions.ListApplicationsAsync(caller.SubscriptionId, cancellationToken);
        IReadOnlyList<long> appIds = [.. apps.Select(a => a.Id)];
        if (!string.IsNullOrEmpty(appText))
        {
            if (!long.TryParse(appText, NumberStyles.None, CultureInfo.InvariantCulture, out var appId) || !appIds.Contains(appId))
                return (null, $"appId '{appText}' is not an application of this subscription.");
            appIds = [appId];
        }
        var calendar = new ReportCalendar(TimeZones.Get(subscription!.TimeZone));
        return (new ReportArguments(first, last, granularity, calendar, appIds), null);
    }

    private static bool TryDate(string? text, string name, out LocalDate date, out string? error)
    {
        date = default;
        error = null;
        if (string.IsNullOrEmpty(text)) error = $"{name} is required: a date such as 2026-11-01.";
        else if (LocalDatePattern.Iso.Parse(text) is { Success: true } parsed) date = parsed.Value;
        else error = $"{name} '{text}' is not a date such as 2026-11-01.";
        return error is null;
    }
}

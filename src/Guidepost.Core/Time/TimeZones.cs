using NodaTime;

namespace Guidepost.Core.Time;

/// <summary>IANA time zones from the tz database bundled with NodaTime, so day boundaries do not depend on
/// the host's zone files.</summary>
public static class TimeZones
{
    public const string Utc = "UTC";

    public static bool IsKnown(string id) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is not null;

    public static DateTimeZone Get(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? throw new ArgumentException($"Unknown time zone '{id}'.", nameof(id));
}

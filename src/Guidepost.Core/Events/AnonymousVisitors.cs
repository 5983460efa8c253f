namespace Guidepost.Core.Events;

/// <summary>Visitors the agent made up an id for (<c>_PENDO_T_…</c>) until the application identifies them.</summary>
public static class AnonymousVisitors
{
    public const string Prefix = "_PENDO_T_";

    public static bool Is(string visitorId) => visitorId.StartsWith(Prefix, StringComparison.Ordinal);
}

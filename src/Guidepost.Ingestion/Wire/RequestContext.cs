using Guidepost.Ingestion.Normalize;

namespace Guidepost.Ingestion.Wire;

/// <summary>What the HTTP request, rather than the payload, says about its events.</summary>
/// <param name="Language">From Accept-Language, in the agent's form (<c>en_US</c>); meta events override it.</param>
public sealed record RequestContext(
    long SubscriptionId,
    long ApplicationId,
    long ServerTime,
    string? RemoteIp,
    string? UserAgent,
    ParsedUserAgent? ParsedUserAgent,
    string? Language);

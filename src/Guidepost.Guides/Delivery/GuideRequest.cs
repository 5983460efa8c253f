using System.Text.Json;

namespace Guidepost.Guides.Delivery;

/// <summary>What the agent sends to <c>guide.json</c> (the decoded <c>jzb</c> object): who is asking, and where.</summary>
/// <param name="Language">The visitor's language as the agent's metadata gives it (<c>en_US</c>), if any.</param>
public sealed record GuideRequest(string VisitorId, string? AccountId, string Url, string? OldVisitorId, string? Language)
{
    public const int MaxIdLength = 256;
    public const int MaxUrlLength = 8192;

    /// <summary>Reads the request object; a problem is explained in <paramref name="error"/>.</summary>
    public static GuideRequest? Parse(JsonElement json, out string? error)
    {
        error = null;
        if (json.ValueKind != JsonValueKind.Object) return Fail("the guide request is a JSON object {visitorId, accountId, url, metadata}.", out error);
        var visitor = Text(json, "visitorId");
        if (string.IsNullOrEmpty(visitor) || visitor.Length > MaxIdLength) return Fail($"visitorId must be a non-empty string of at most {MaxIdLength} characters.", out error);
        var url = Text(json, "url");
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
            return Fail("url must be the page's absolute http(s) URL.", out error);
        var account = Text(json, "accountId");
        if (account?.Length > MaxIdLength) return Fail($"accountId has at most {MaxIdLength} characters.", out error);
        var old = Text(json, "oldVisitorId");
        string? language = null;
        if (json.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("visitor", out var visitorMetadata) && visitorMetadata.ValueKind == JsonValueKind.Object)
            language = Text(visitorMetadata, "language");
        return new GuideRequest(visitor, string.IsNullOrEmpty(account) ? null : account, url, string.IsNullOrEmpty(old) || old.Length > MaxIdLength ? null : old, language);
    }

    /// <summary>The URL with its scheme and host in lower case: what step page rules are tested against.</summary>
    public string NormalizedUrl
    {
        get
        {
            var hostStart = Url.IndexOf("://", StringComparison.Ordinal) + 3;
            var hostEnd = Url.IndexOfAny(['/', '?', '#'], hostStart);
            if (hostEnd < 0) hostEnd = Url.Length;
            return Url[..hostEnd].ToLowerInvariant() + Url[hostEnd..];
        }
    }

    public string Host => new Uri(Url).Host;

    // Ids may arrive as numbers; the agent sends whatever the page gave it.
    private static string? Text(JsonElement json, string name) =>
        !json.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : null;

    private static GuideRequest? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}

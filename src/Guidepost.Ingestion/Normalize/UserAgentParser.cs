namespace Guidepost.Ingestion.Normalize;

/// <summary>A browser's User-Agent reduced to what analytics reports break down by.</summary>
/// <param name="Device"><c>desktop</c>, <c>mobile</c>, <c>tablet</c>, <c>bot</c> or <c>unknown</c>.</param>
public sealed record ParsedUserAgent(string Browser, string BrowserVersion, string Os, string OsVersion, string Device);

/// <summary>Parses User-Agent strings into browser, version, OS and device by their well-known tokens.
/// No UA-parsing library is available here; this covers the browsers and systems in real use.</summary>
/// <remarks>Token order matters: Edge, Opera, Samsung and Yandex also say "Chrome", and Chrome also says
/// "Safari", so the more specific tokens are tried first.</remarks>
public static class UserAgentParser
{
    private const int MaxScannedLength = 1024;

    private static readonly (string Token, string Browser)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("Edge/", "Edge"),
        ("OPR/", "Opera"), ("Opera/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("YaBrowser/", "Yandex"),
        ("Electron/", "Electron"), ("HeadlessChrome/", "Chrome Headless"), ("Brave/", "Brave"),
        ("CriOS/", "Chrome"), ("FxiOS/", "Firefox"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
        ("curl/", "curl"),
    ];

    private static readonly string[] BotTokens = ["bot", "crawler", "spider", "slurp"];

    public static ParsedUserAgent Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return new("Other", "", "Other", "", "unknown");
        var ua = userAgent.AsSpan(0, Math.Min(userAgent.Length, MaxScannedLength));
        var (os, osVersion) = ParseOs(ua);
        if (IsBot(ua)) return new("Bot", "", os, osVersion, "bot");
        var (browser, version) = ParseBrowser(ua);
        return new(browser, version, os, osVersion, ParseDevice(ua, os));
    }

    private static bool IsBot(ReadOnlySpan<char> ua)
    {
        foreach (var token in BotTokens)
            if (ua.Contains(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static (string, string) ParseBrowser(ReadOnlySpan<char> ua)
    {
        foreach (var (token, browser) in Browsers)
            if (ua.IndexOf(token, StringComparison.Ordinal) is var at and >= 0) return (browser, Major(ua[(at + token.Length)..]));
        if (ua.IndexOf("MSIE ", StringComparison.Ordinal) is var msie and >= 0) return ("Internet Explorer", Major(ua[(msie + 5)..]));
        if (ua.Contains("Trident/", StringComparison.Ordinal) && ua.IndexOf("rv:", StringComparison.Ordinal) is var rv and >= 0)
            return ("Internet Explorer", Major(ua[(rv + 3)..]));
        if (ua.Contains("Safari/", StringComparison.Ordinal) && ua.IndexOf("Version/", StringComparison.Ordinal) is var safari and >= 0)
            return ("Safari", Major(ua[(safari + 8)..]));
        return ("Other", "");
    }

    private static (string, string) ParseOs(ReadOnlySpan<char> ua)
    {
        if (ua.IndexOf("Windows NT ", StringComparison.Ordinal) is var nt and >= 0)
            return ("Windows", Version(ua[(nt + 11)..], '.') switch
            {
                "10.0" => "10", "6.3" => "8.1", "6.2" => "8", "6.1" => "7", "6.0" => "Vista", "5.1" => "XP", var other => other,
            });
        if (ua.Contains("Windows", StringComparison.Ordinal)) return ("Windows", "");
        if (ua.Contains("iPad", StringComparison.Ordinal)) return ("iPadOS", AppleVersion(ua, "CPU OS "));
        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPod", StringComparison.Ordinal))
            return ("iOS", AppleVersion(ua, "iPhone OS "));
        if (ua.IndexOf("Android", StringComparison.Ordinal) is var android and >= 0)
            return ("Android", ua[(android + 7)..] is [' ', .. var rest] ? Version(rest, '.') : "");
        if (ua.Contains("CrOS", StringComparison.Ordinal)) return ("ChromeOS", "");
        if (ua.IndexOf("Mac OS X", StringComparison.Ordinal) is var mac and >= 0)
            return ("macOS", ua[(mac + 8)..] is [' ', .. var rest] ? Version(rest, '_', '.') : "");
        if (ua.Contains("Linux", StringComparison.Ordinal) || ua.Contains("X11", StringComparison.Ordinal)) return ("Linux", "");
        return ("Other", "");
    }

    private static string ParseDevice(ReadOnlySpan<char> ua, string os)
    {
        if (os == "iPadOS" || ua.Contains("Tablet", StringComparison.Ordinal)) return "tablet";
        // Android tablets leave "Mobile" out of their User-Agent.
        if (os == "Android") return ua.Contains("Mobile", StringComparison.Ordinal) ? "mobile" : "tablet";
        if (os == "iOS" || ua.Contains("Mobile", StringComparison.Ordinal)) return "mobile";
        return "desktop";
    }

    private static string AppleVersion(ReadOnlySpan<char> ua, string marker) =>
        ua.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? Version(ua[(at + marker.Length)..], '_', '.') : "";

    /// <summary>The leading run of digits.</summary>
    private static string Major(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return text[..end].ToString();
    }

    /// <summary>A dotted version at the start of <paramref name="text"/>, written with the given separator
    /// and returned with dots ("10_15_7" → "10.15.7").</summary>
    private static string Version(ReadOnlySpan<char> text, char separator, char output = '.')
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == separator)) end++;
        return text[..end].ToString().Trim(separator).Replace(separator, output);
    }
}

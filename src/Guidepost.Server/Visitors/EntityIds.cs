using System.Buffers.Text;
using System.Text;

namespace Guidepost.Server.Visitors;

/// <summary>Visitor and account ids in paths: URL-encoded, or <c>b64_&lt;url-safe base64&gt;</c> when the
/// <c>x-pendo-base64-encoded-params: true</c> header says so (for ids with slashes).</summary>
internal static class EntityIds
{
    public const string Base64Header = "x-pendo-base64-encoded-params";

    public static bool TryDecode(HttpContext http, string raw, out string id)
    {
        id = raw;
        if (!string.Equals(http.Request.Headers[Base64Header], "true", StringComparison.OrdinalIgnoreCase) || !raw.StartsWith("b64_", StringComparison.Ordinal))
            return true;
        try
        {
            id = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(raw.AsSpan(4).TrimEnd('=')));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

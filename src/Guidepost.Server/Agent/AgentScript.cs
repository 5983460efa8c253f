using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Guidepost.Ingestion.Pipeline;

namespace Guidepost.Server.Agent;

/// <summary>Guidepost's agent (agent/dist/pendo.js, embedded into this assembly by the build) with an application's
/// settings baked in: the file carries one placeholder string that becomes the settings as a JSON string literal.</summary>
public sealed class AgentScript
{
    private const string ResourceName = "Guidepost.Server.Agent.pendo.js";
    private const string Placeholder = "\"__GUIDEPOST_SETTINGS__\"";

    /// <summary>A JSON string is a JavaScript string literal; in a script file (no HTML around it) quotes need no
    /// \u escapes.</summary>
    private static readonly JsonSerializerOptions JavaScriptLiteral = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _before;
    private readonly string _after;

    public AgentScript()
    {
        using var stream = typeof(AgentScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded; the server's build builds it from agent/ with npm.");
        var source = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        var at = source.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || source.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"{ResourceName} must contain the settings placeholder exactly once.");
        (_before, _after) = (source[..at], source[(at + Placeholder.Length)..]);
    }

    /// <summary>The settings (src/settings.ts in agent/) of an application. Nothing from the request goes in: the
    /// agent sends its data to the origin it was loaded from, so one file per application and settings is kept.</summary>
    public static string Settings(string apiKey, IngestionTarget application) => JsonSerializer.Serialize(new
    {
        apiKey,
        excludeAllText = !application.Agent.CaptureText,
        htmlAttributes = application.Agent.HtmlAttributes,
        dropAnonymous = !application.CollectAnonymousVisitors,
    });

    /// <summary>The file with <paramref name="settings"/> (from <see cref="Settings"/>) baked in.</summary>
    public BakedAgent Bake(string settings)
    {
        var bytes = Encoding.UTF8.GetBytes(_before + JsonSerializer.Serialize(settings, JavaScriptLiteral) + _after);
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(bytes);
        return new BakedAgent(bytes, gzipped.ToArray(), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..20]}\"");
    }
}

/// <summary>One application's agent file, plain and gzipped, with its entity tag.</summary>
public sealed record BakedAgent(byte[] Plain, byte[] Gzipped, string ETag);

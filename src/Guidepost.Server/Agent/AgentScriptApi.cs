using Guidepost.Ingestion.Pipeline;
using Guidepost.Server.Errors;
using Guidepost.Server.Ingestion;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace Guidepost.Server.Agent;

/// <summary>Serves Guidepost's agent where Pendo's install snippet loads Pendo's: <c>/agent/static/{apiKey}/pendo.js</c>.</summary>
internal static class AgentScriptApi
{
    /// <summary>Browsers keep the file this long; a settings change reaches pages within it.</summary>
    private const string CacheControl = "public, max-age=300";

    public static void MapAgentScriptApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/agent/static/{apiKey}/pendo.js", ServeAsync).WithTags("Agent").RequireCors(IngestionApi.AgentCors);

    private static async Task<IResult> ServeAsync(
        string apiKey, HttpContext http, ApplicationDirectory applications, AgentScript script, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var application = await applications.FindByApiKeyAsync(apiKey, cancellationToken);
        if (application is null or { Disabled: true }) return ApiErrors.NotFound($"No enabled application has the API key '{apiKey}'.");

        var settings = AgentScript.Settings(apiKey, application);
        var agent = cache.GetOrCreate(("agent", settings), entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            return script.Bake(settings);
        })!;

        var response = http.Response;
        response.Headers.CacheControl = CacheControl;
        response.Headers.ETag = agent.ETag;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (http.Request.Headers.IfNoneMatch.Contains(agent.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        var gzip = http.Request.Headers.AcceptEncoding.Any(value => value?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        if (gzip) response.Headers.ContentEncoding = "gzip";
        return Results.Bytes(gzip ? agent.Gzipped : agent.Plain, "text/javascript; charset=utf-8");
    }
}

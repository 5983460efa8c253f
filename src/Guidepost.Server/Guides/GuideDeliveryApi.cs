using System.Text.Json;
using Guidepost.Guides.Delivery;
using Guidepost.Ingestion;
using Guidepost.Ingestion.Wire;
using Guidepost.Server.Errors;
using Guidepost.Server.Hosting;
using Guidepost.Server.Ingestion;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Options;

namespace Guidepost.Server.Guides;

/// <summary>What the agent fetches to show guides (§5 of the protocol): <c>guide.json</c>, each step's content by
/// URL (JSON and JSONP), and <c>guide.css</c>.</summary>
internal static class GuideDeliveryApi
{
    /// <summary>Only legacy (HTML) guides need it; the agent waits for <c>._pendo-hidden_</c> to be hidden.</summary>
    private const string GuideCss = "._pendo-hidden_{display:none!important}._pendo-guide_{box-sizing:border-box}";

    /// <summary>The badge a badge-launched guide shows when its author gave no image: a question mark in a circle.</summary>
    private const string BadgeSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7.5" fill="#2b6cb0"/><text x="8" y="12" font-family="Arial,sans-serif" font-size="11" font-weight="bold" text-anchor="middle" fill="#fff">?</text></svg>
        """;

    public static void MapGuideDeliveryApi(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/data").WithTags("Guide delivery").RequireCors(IngestionApi.AgentCors).DisableValidation();
        // One request per page load and visitor: as many as beacons, so not logged one line each either.
        data.MapGet("/guide.json/{apiKey}", GuidesAsync).WithHttpLogging(HttpLoggingFields.None);
        data.MapPost("/guide.json/{apiKey}", GuidesAsync).WithHttpLogging(HttpLoggingFields.None);
        var content = app.MapGroup("/guide-content/{apiKey}/{guideId}/{stepId}/{language}").WithTags("Guide delivery")
            .RequireCors(IngestionApi.AgentCors).WithHttpLogging(HttpLoggingFields.None);
        content.MapGet("/{hash}.dom.json", (string apiKey, string guideId, string stepId, string language, string hash, HttpContext http, GuideLibrary library) =>
            ContentAsync(apiKey, guideId, stepId, language, hash, jsonp: false, http, library));
        content.MapGet("/{hash}.dom.jsonp", (string apiKey, string guideId, string stepId, string language, string hash, HttpContext http, GuideLibrary library) =>
            ContentAsync(apiKey, guideId, stepId, language, hash, jsonp: true, http, library));
        app.MapGet("/guide-badge.svg", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(BadgeSvg, "image/svg+xml");
        }).WithTags("Guide delivery").RequireCors(IngestionApi.AgentCors);
        app.MapGet("/guide.css", () => Results.Text(GuideCss, "text/css")).WithTags("Guide delivery").RequireCors(IngestionApi.AgentCors);
    }

    private static async Task<IResult> GuidesAsync(string apiKey, string? id, HttpContext http, GuideDelivery delivery, IOptions<IngestionOptions> options)
    {
        var (jzb, problem) = await AgentRequests.ReadJzbAsync(http.Request, options.Value.MaxBodyBytes, "Say who asks: send jzb in the query, or POST {\"events\": jzb}.");
        if (problem is not null) return problem;

        GuideRequest? request;
        try
        {
            using var json = JsonDocument.Parse(Jzb.Decode(jzb!, options.Value.MaxCompressedChars, options.Value.MaxInflatedBytes));
            request = GuideRequest.Parse(json.RootElement, out var error);
            if (request is null) return ApiErrors.Invalid(error!);
        }
        catch (PayloadException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
        catch (JsonException e)
        {
            return ApiErrors.Invalid($"jzb does not hold JSON: {e.Message}");
        }

        var (answer, payload) = await delivery.AnswerAsync(apiKey, request, http.RequestAborted);
        switch (answer)
        {
            case GuideAnswer.UnknownKey:
                return ApiErrors.NotFound($"No application has the API key '{AgentRequests.Truncate(apiKey, 64)}'.");
            case GuideAnswer.DoNotProcess:
                return ApiErrors.Of(StatusCodes.Status451UnavailableForLegalReasons, "Do not process",
                    "This visitor or account is marked do-not-process: no guides, and no events are accepted.");
        }
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(http.Response.BodyWriter))
            payload!.Write(writer, id, http.Request.Origin());
        return Results.Empty;
    }

    private static async Task<IResult> ContentAsync(
        string apiKey, string guideId, string stepId, string language, string hash, bool jsonp, HttpContext http, GuideLibrary library)
    {
        var content = await library.FindContentAsync(apiKey, guideId, stepId, language, http.RequestAborted);
        if (content is null) return ApiErrors.NotFound($"No delivered guide '{guideId}' has a step '{stepId}'.");
        // The hash names the content: the current one may be kept for good; an old URL gets today's content, uncached.
        http.Response.Headers.CacheControl = content.Hash == hash ? "public, max-age=31536000, immutable" : "no-store";
        return jsonp
            ? Results.Text($"pendo.receiveDomStructureJson({JsonSerializer.Serialize(guideId)},{JsonSerializer.Serialize(stepId)},{content.Json});", "application/javascript")
            : Results.Text(content.Json, "application/json");
    }
}

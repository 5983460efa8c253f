using System.Text.Json;
using Microsoft.AspNetCore.HttpLogging;
using Guidepost.Core.Events;
using Guidepost.Ingestion;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Ingestion.Wire;
using Guidepost.Ingestion.Writing;
using Guidepost.Server.Errors;
using Microsoft.Extensions.Options;

namespace Guidepost.Server.Ingestion;

/// <summary>The agent's data endpoints (§3 of the protocol) and the server-side Track API. Handlers only
/// translate HTTP: the <see cref="Ingestor"/> validates, runs the pipeline and waits for the commit.</summary>
internal static class IngestionApi
{
    public const string AgentCors = "agent";
    private static readonly HashSet<string> Beacons = ["ptm", "guide", "poll", "agentic"];

    public static void AddIngestionApi(this IServiceCollection services) =>
        // The agent runs on customers' pages, on any origin, and never sends credentials.
        services.AddCors(cors => cors.AddPolicy(AgentCors, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST")));

    public static void MapIngestionApi(this IEndpointRouteBuilder app)
    {
        // Handlers validate payloads themselves; the generic parameter validation filter would only add a hop.
        var data = app.MapGroup("/data").WithTags("Ingestion").RequireCors(AgentCors).DisableValidation();
        // Beacons are far too many to log one line each; failures are logged where they happen.
        data.MapGet("/{beacon}.gif/{apiKey}", BeaconAsync).WithHttpLogging(HttpLoggingFields.None);
        data.MapPost("/{beacon}.gif/{apiKey}", BeaconAsync).WithHttpLogging(HttpLoggingFields.None);
        data.MapGet("/log.gif/{apiKey}", LogAsync);
        data.MapPost("/errorlog", ErrorLogAsync);
        data.MapPost("/track", TrackAsync);
    }

    private static async Task<IResult> BeaconAsync(
        string beacon, string apiKey, HttpContext http, ApplicationDirectory directory, Ingestor ingestor, IOptions<IngestionOptions> options)
    {
        if (!Beacons.Contains(beacon)) return ApiErrors.NotFound($"There is no {beacon}.gif beacon; use ptm, guide, poll or agentic.");
        var (target, refusal) = await ResolveAsync(directory, apiKey, http.RequestAborted);
        if (refusal is not null) return refusal;

        var (jzb, problem) = await AgentRequests.ReadJzbAsync(http.Request, options.Value.MaxBodyBytes, "No events: send jzb in the query, or POST {\"events\": jzb}.");
        if (problem is not null) return problem;

        return await AgentRequests.AcceptAsync(http, () => ingestor.IngestBeaconAsync(target!, jzb!,
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent, http.Request.Headers.AcceptLanguage), AgentRequests.Gif);
    }

    private static async Task<IResult> TrackAsync(HttpContext http, ApplicationDirectory directory, Ingestor ingestor, long? appId)
    {
        var secret = http.Request.Headers["x-pendo-integration-key"].ToString().Trim();
        if (secret.Length == 0) return ApiErrors.Unauthorized("Send the application's Track API secret in the x-pendo-integration-key header.");
        var target = await directory.FindByTrackSecretAsync(secret, http.RequestAborted)
            ?? await directory.FindByIntegrationKeyAsync(secret, appId, http.RequestAborted);
        if (target is null)
            return ApiErrors.Unauthorized("The x-pendo-integration-key header is neither an application's Track API secret nor a read-write " +
                "integration key (with ?appId= when its subscription has several applications).");
        if (target.Disabled) return ApiErrors.Forbidden("This application is disabled.");

        var body = await AgentRequests.ReadBodyAsync(http.Request, TrackApiReader.MaxPropertiesBytes * 64);
        if (body is null) return ApiErrors.Of(StatusCodes.Status413PayloadTooLarge, "Payload too large", "A track event body is at most 32 KiB.");
        return await AgentRequests.AcceptAsync(http, () => ingestor.IngestTrackAsync(target, body), TypedResults.Ok(new { accepted = 1 }));
    }

    private static async Task<IResult> LogAsync(string apiKey, string? msg, string? version, HttpContext http, ApplicationDirectory directory,
        IEventStore store, TimeProvider time)
    {
        var (target, refusal) = await ResolveAsync(directory, apiKey, http.RequestAborted);
        if (refusal is not null) return refusal;
        await store.AppendDiagnosticAsync(new AgentDiagnostic(target!.SubscriptionId, target.ApplicationId, "log",
            AgentRequests.Truncate(msg ?? ""), null, AgentRequests.Truncate(version), time.GetUtcNow().ToUnixTimeMilliseconds()), http.RequestAborted);
        return AgentRequests.Gif;
    }

    private static async Task<IResult> ErrorLogAsync(string? apiKey, HttpContext http, ApplicationDirectory directory, IEventStore store, TimeProvider time)
    {
        if (string.IsNullOrEmpty(apiKey)) return ApiErrors.Invalid("Name the application: /data/errorlog?apiKey=...");
        var (target, refusal) = await ResolveAsync(directory, apiKey, http.RequestAborted);
        if (refusal is not null) return refusal;
        var body = await AgentRequests.ReadBodyAsync(http.Request, 256 * 1024);
        if (body is null) return ApiErrors.Of(StatusCodes.Status413PayloadTooLarge, "Payload too large", "An error report is at most 256 KiB.");

        string? error, version, visitor;
        try
        {
            using var report = JsonDocument.Parse(body);
            if (report.RootElement.ValueKind != JsonValueKind.Object) return ApiErrors.Invalid("An error report is a JSON object {error, version, visitorId}.");
            (error, version, visitor) = (Field(report.RootElement, "error"), Field(report.RootElement, "version"), Field(report.RootElement, "visitorId"));
        }
        catch (JsonException e)
        {
            return ApiErrors.Invalid($"The error report is not valid JSON: {e.Message}");
        }
        await store.AppendDiagnosticAsync(new AgentDiagnostic(target!.SubscriptionId, target.ApplicationId, "errorlog",
            AgentRequests.Truncate(error ?? ""), AgentRequests.Truncate(visitor), AgentRequests.Truncate(version),
            time.GetUtcNow().ToUnixTimeMilliseconds()), http.RequestAborted);
        return TypedResults.Ok();
    }

    private static string? Field(JsonElement report, string name) =>
        report.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static async Task<(IngestionTarget? Target, IResult? Refusal)> ResolveAsync(
        ApplicationDirectory directory, string apiKey, CancellationToken cancellationToken)
    {
        var target = apiKey.Length <= 64 ? await directory.FindByApiKeyAsync(apiKey, cancellationToken) : null;
        if (target is null) return (null, ApiErrors.NotFound($"No application has the API key '{AgentRequests.Truncate(apiKey, 64)}'."));
        if (target.Disabled) return (null, ApiErrors.Forbidden("This application is disabled; its events are not accepted."));
        return (target, null);
    }
}

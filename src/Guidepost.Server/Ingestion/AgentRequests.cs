using System.Buffers;
using System.Text.Json;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Ingestion.Wire;
using Guidepost.Ingestion.Writing;
using Guidepost.Server.Errors;

namespace Guidepost.Server.Ingestion;

/// <summary>HTTP details of the agent's requests: bodies, the pixel answer, and how ingestion outcomes
/// map to status codes.</summary>
internal static class AgentRequests
{
    private const int MaxDiagnosticLength = 16 * 1024;

    /// <summary>A transparent 1×1 GIF: pixel requests only count as sent when the answer decodes as an image.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IResult Gif { get; } = new PixelResult();

    /// <summary>Runs the ingestion and answers <paramref name="success"/> once its events are durable.</summary>
    public static async Task<IResult> AcceptAsync(HttpContext http, Func<Task<IngestOutcome>> ingest, IResult success)
    {
        try
        {
            await ingest();
            return success;
        }
        catch (PayloadException e)
        {
            return ApiErrors.Invalid(e.Message);
        }
        catch (QueueFullException)
        {
            http.Response.Headers.RetryAfter = "2";
            return ApiErrors.Of(StatusCodes.Status503ServiceUnavailable, "Busy", "The ingestion queue is full; retry shortly. Nothing was stored.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store failed (disk full, I/O error): not the client's fault, and nothing was stored, so it may retry.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentRequests)).LogError(e, "Storing events failed");
            http.Response.Headers.RetryAfter = "5";
            return ApiErrors.Of(StatusCodes.Status503ServiceUnavailable, "Not stored", "The events could not be stored; retry later. Nothing was stored.");
        }
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>The jzb an agent request carries: in the query, or for a POST in the body <c>{"events": jzb}</c>;
    /// or the 4xx that says what is wrong.</summary>
    public static async Task<(string? Jzb, IResult? Refusal)> ReadJzbAsync(HttpRequest request, int maxBodyBytes, string missing)
    {
        string? jzb = request.Query["jzb"];
        if (HttpMethods.IsPost(request.Method))
        {
            var body = await ReadBodyAsync(request, maxBodyBytes);
            if (body is null) return (null, ApiErrors.Of(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is over {maxBodyBytes} bytes."));
            if (body.Length > 0)
            {
                try
                {
                    jzb = EventsField(body);
                }
                catch (PayloadException e)
                {
                    return (null, ApiErrors.Invalid(e.Message));
                }
            }
        }
        return string.IsNullOrEmpty(jzb) ? (null, ApiErrors.Invalid(missing)) : (jzb, null);
    }

    /// <summary>The jzb in a POST body <c>{"events": jzb, ...}</c>, whatever the content type (sendBeacon
    /// sends text/plain).</summary>
    private static string EventsField(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new PayloadException("The body must be a JSON object {\"events\": jzb}.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEvents = reader.ValueTextEquals("events");
                reader.Read();
                if (isEvents)
                    return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new PayloadException("events must be a jzb string.");
                reader.Skip();
            }
            throw new PayloadException("The body has no \"events\" field.");
        }
        catch (JsonException e)
        {
            throw new PayloadException($"The body is not valid JSON: {e.Message}");
        }
    }

    public static string Truncate(string value, int maxLength) =>
        value.Length <= maxLength ? value : value[..maxLength] + "…";

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Truncate(string? value) => value is null ? null : Truncate(value, MaxDiagnosticLength);

    private sealed class PixelResult : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "image/gif";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.ContentLength = Pixel.Length;
            return http.Response.Body.WriteAsync(Pixel).AsTask();
        }
    }
}

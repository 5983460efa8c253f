using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Guidepost.Server.Errors;

/// <summary>Makes every error the framework or a handler produces answer as <see cref="ErrorBody"/> JSON:
/// malformed bodies, wrong content types, oversized requests, unknown routes, validation failures and,
/// as a last resort, unexpected exceptions.</summary>
internal static partial class ErrorHandling
{
    public static void AddErrorHandling(this IServiceCollection services)
    {
        // Registered before AddProblemDetails so it is asked first and the default writer never runs.
        services.AddSingleton<IProblemDetailsWriter, ErrorBodyWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClientErrorExceptionHandler>();
        // Binding failures throw, so the exception handler can say what was wrong instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
    }

    public static void UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
    }

    /// <summary>Turns problem details into the error body every Guidepost client expects.</summary>
    private sealed class ErrorBodyWriter : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            var status = problem.Status ?? http.Response.StatusCode;
            var errors = (problem as HttpValidationProblemDetails)?.Errors
                .ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value);
            var detail = problem.Detail
                ?? (errors is { Count: > 0 }
                    ? string.Join("; ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")))
                    : DefaultDetail(status, http.Request));
            var error = errors is { Count: > 0 } ? "Invalid request" : problem.Title ?? ReasonPhrases.GetReasonPhrase(status);
            var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<JsonOptions>>().Value.SerializerOptions;
            return new ValueTask(http.Response.WriteAsJsonAsync(new ErrorBody(error, detail, errors), json, "application/json", http.RequestAborted));
        }

        private static string DefaultDetail(int status, HttpRequest request) => status switch
        {
            StatusCodes.Status404NotFound => $"Nothing answers {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => $"Send the body as application/json, not '{request.ContentType}'.",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
    }

    /// <summary>Maps request-binding failures to their 4xx status with a precise detail; anything else is
    /// a server fault and answers 500 without internals (the middleware has logged it).</summary>
    private sealed class ClientErrorExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, detail) = exception switch
            {
                BadHttpRequestException { InnerException: JsonException json } bad =>
                    (bad.StatusCode, "Invalid JSON body", DescribeJsonError(json)),
                // The framework's words for an empty body, or one that is JSON null, speak to the handler's author.
                BadHttpRequestException bad when bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) =>
                    (bad.StatusCode, "Invalid JSON body", "The request needs a JSON body (not empty, not null)."),
                BadHttpRequestException bad => (bad.StatusCode, ReasonPhrases.GetReasonPhrase(bad.StatusCode), bad.Message),
                _ => (StatusCodes.Status500InternalServerError, "Internal server error",
                    $"The server failed to handle this request (trace id {context.TraceIdentifier}); its log has the details."),
            };
            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            });
        }
    }

    /// <summary>Says what is wrong with a body in the client's terms (JSON paths), not the server's types.</summary>
    private static string DescribeJsonError(JsonException json)
    {
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            && UnknownMember().Match(json.Message) is { Success: true } unknown)
            return $"The field '{unknown.Groups[1].Value}' is not part of this request.";
        if (json.Message.Contains("could not be converted", StringComparison.Ordinal) && json.Path is null or "$")
            return "The body must be a JSON object with this endpoint's fields.";
        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
            return $"The value at {json.Path ?? "$"} has the wrong type or is not one of the allowed values.";
        if (json.Message.Contains("doesn't allow null values", StringComparison.Ordinal))
            return $"The value at {json.Path ?? "$"} must not be null.";
        return $"The body is not valid JSON: {json.Message}";
    }

    [GeneratedRegex("property '([^']*)'")]
    private static partial Regex UnknownMember();
}

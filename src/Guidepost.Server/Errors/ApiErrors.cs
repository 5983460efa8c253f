using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guidepost.Server.Errors;

/// <summary>The body of every error response: what went wrong, and what exactly.</summary>
public sealed record ErrorBody(
    string Error,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors = null);

/// <summary>Typed error results for endpoint handlers.</summary>
public static class ApiErrors
{
    public static JsonHttpResult<ErrorBody> Of(int status, string error, string detail) =>
        TypedResults.Json(new ErrorBody(error, detail), statusCode: status);

    public static JsonHttpResult<ErrorBody> NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static JsonHttpResult<ErrorBody> Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static JsonHttpResult<ErrorBody> Conflict(string detail) => Of(StatusCodes.Status409Conflict, "Conflict", detail);

    public static JsonHttpResult<ErrorBody> Invalid(string detail) => Of(StatusCodes.Status400BadRequest, "Invalid request", detail);

    public static JsonHttpResult<ErrorBody> Unauthorized(string detail) => Of(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
}

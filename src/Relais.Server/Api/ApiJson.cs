using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Server.RunnerApi;

namespace Relais.Server.Api;

/// <summary>
/// Answers in GitLab's v4 shapes: snake_case JSON, ISO-8601 UTC times with milliseconds, and errors as
/// <c>{"message": "404 Project Not Found"}</c> (or, for a rejected field, <c>{"message": {"key": ["…"]}}</c>).
/// </summary>
internal static class ApiJson
{
    /// <summary>Exactly this, without a charset: python-gitlab compares the header to it verbatim.</summary>
    private const string ContentType = "application/json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Serialises <paramref name="value"/> by its runtime type.</summary>
    public static IResult Ok(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, Options, ContentType, status);

    public static IResult Error(int status, string message) =>
        Results.Json(new ErrorBody(message), ServerJsonContext.Default.ErrorBody, ContentType, status);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, $"404 {what} Not Found");

    public static IResult BadRequest(string detail) => Error(StatusCodes.Status400BadRequest, "400 Bad request - " + detail);

    /// <summary>A validation failure on one field, as GitLab reports model errors.</summary>
    public static IResult Invalid(string field, string problem) =>
        Results.Json(
            new Dictionary<string, object> { ["message"] = new Dictionary<string, string[]> { [field] = [problem] } },
            Options,
            ContentType,
            StatusCodes.Status400BadRequest);

    public static string? Time(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as the store keeps it (SQLite text) in GitLab's format.</summary>
    public static string? Time(string? stored) =>
        DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? Time(at) : null;

    public static double? Seconds(TimeSpan? span) => span is { } s ? Math.Round(s.TotalSeconds, 3) : null;
}

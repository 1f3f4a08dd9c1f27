using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.RunnerApi;

namespace Relais.Server.Security;

/// <summary>
/// The outermost guard of every request: sets the endpoint's body limit (<see cref="BodyLimitPolicy"/>), then turns
/// what a hostile or broken request makes the framework throw into a clear 4xx with GitLab's <c>{"message": …}</c>
/// body instead of a 500: a body past its limit → 413, a malformed body (bad JSON, bad multipart, bad framing) → 400,
/// a full blob store → 507. When the response has already started there is no status left to send: the connection is
/// aborted. Any other exception is a bug and still answers 500, with the same body shape.
/// </summary>
internal static class HostileInputGuard
{
    /// <summary>The message of a 507: the disk under the data directory is full.</summary>
    public const string StorageFull = "507 Insufficient Storage - the server's storage is full";

    public static void Use(WebApplication app, RequestLimits limits) => app.Use(async (http, next) =>
    {
        BodyLimitPolicy.Apply(http, limits);
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (Classify(e) is { } refusal)
        {
            if (http.Response.HasStarted)
            {
                http.Abort();
                return;
            }

            http.Response.Clear();
            await ApiResults.Error(refusal.Status, refusal.Message).ExecuteAsync(http);
        }
    });

    /// <summary>The status and message for an exception a request caused, or null for one it did not.</summary>
    public static (int Status, string Message)? Classify(Exception e) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or BodyTooLargeException
            => (StatusCodes.Status413PayloadTooLarge, "413 Request Entity Too Large"),
        BadHttpRequestException bad => (bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "400 Bad request - " + bad.Message),
        InvalidDataException when e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
            => (StatusCodes.Status413PayloadTooLarge, "413 Request Entity Too Large"),
        InvalidDataException or JsonException or FormatException => (StatusCodes.Status400BadRequest, "400 Bad request - malformed body"),
        IOException io when DiskFull.Is(io) => (StatusCodes.Status507InsufficientStorage, StorageFull),
        _ => null,
    };
}

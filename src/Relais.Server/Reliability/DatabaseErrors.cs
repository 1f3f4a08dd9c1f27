using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.RunnerApi;

namespace Relais.Server.Reliability;

/// <summary>
/// Turns "the database cannot be reached" into <c>503 {"message": "503 Service Unavailable: database unavailable"}</c>
/// instead of a 500, so runners and clients retry (the runner treats 5xx as transient). Connections are opened per
/// call from the driver's pool, so once the database is back the next request simply works: nothing to reconnect.
/// </summary>
internal static class DatabaseErrors
{
    public const string Message = "503 Service Unavailable: database unavailable";

    public static void Use(IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (IsUnavailable(e) && !http.Response.HasStarted)
        {
            http.Response.Clear();
            http.Response.Headers.RetryAfter = "5";
            await ApiResults.Error(StatusCodes.Status503ServiceUnavailable, Message).ExecuteAsync(http);
        }
    });

    /// <summary>A database error, or a connection that failed or timed out on the way to it.</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        DbException or SocketException or TimeoutException => true,
        InvalidOperationException when e.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true => true,
        AggregateException a => a.InnerExceptions.Any(IsUnavailable),
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}

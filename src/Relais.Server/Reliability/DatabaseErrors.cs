using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
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

    private static long _lastLogged;

    /// <summary>Adds the middleware; the first error of every 5 s is written to <paramref name="log"/>.</summary>
    public static void Use(IApplicationBuilder app, TextWriter log) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (IsUnavailable(e) && !http.Response.HasStarted)
        {
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastLogged);
            if (now - last > 5000 && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
            {
                await log.WriteLineAsync($"relais serve: database unavailable, answering 503 ({e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)})");
            }

            http.Response.Clear();
            http.Response.Headers.RetryAfter = "5";
            await ApiResults.Error(StatusCodes.Status503ServiceUnavailable, Message).ExecuteAsync(http);
        }
    });

    /// <summary>
    /// The database cannot be reached or cannot serve now: a transient database error (connection lost, server shutting
    /// down or starting, too many connections, busy), a socket error or a timeout on the way to it, or Npgsql's pool
    /// giving up. A rejected query (a bug) is not one: it stays a 500.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.IsTransient,
        NpgsqlException or SocketException or TimeoutException => true,
        DbException d => d.IsTransient,
        InvalidOperationException when e.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true => true,
        AggregateException a => a.InnerExceptions.Any(IsUnavailable),
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}

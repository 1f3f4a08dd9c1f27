using Microsoft.AspNetCore.Http;

namespace Relais.Server.Security;

/// <summary>
/// The administrator behind a request made with sudo (<c>Api.ApiCaller</c> acts as another user): kept on the request
/// so <see cref="AuditLog"/> records who really acted, with the user they acted as.
/// </summary>
internal static class SudoActors
{
    private const string Key = "relais.sudo_actor";

    public static void Set(HttpContext http, AuditActor realActor) => http.Items[Key] = realActor;

    /// <summary>The real actor of a sudo request; null for any other request.</summary>
    public static AuditActor? Of(HttpContext http) => http.Items.TryGetValue(Key, out var actor) ? actor as AuditActor : null;
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// Sets a user's password (web form, own API call or an administrator's <c>PUT /users/:id</c>): stores the salted hash,
/// ends the user's other web sessions (all of them when no session made the change), audits it, and for root deletes
/// <c>DATA/initial-root-password</c>, which no longer says anything true.
/// </summary>
internal sealed class PasswordChanges(IIdentityStore identityStore, AuditLog auditLog, string dataDir)
{
    public async Task ChangeAsync(HttpContext http, UserRecord? actor, UserRecord user, string password, long? keepSessionId, string how)
    {
        ArgumentNullException.ThrowIfNull(user);
        await identityStore.ChangePasswordAsync(user.Id, Passwords.Hash(password), keepSessionId, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(actor), "password_changed", "User", user.Id, user.Username, how);
        if (user.Username == RootPasswordBootstrap.RootUsername)
        {
            RootPasswordBootstrap.Forget(dataDir);
        }
    }
}

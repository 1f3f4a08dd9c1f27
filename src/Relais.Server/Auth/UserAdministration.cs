using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>What an administrator's change to a user came to.</summary>
internal enum UserChangeOutcome
{
    Done,
    NotFound,

    /// <summary>Refused: an administrator does not block or delete themselves.</summary>
    Self,

    /// <summary>Refused: projects still live in the user's namespace.</summary>
    OwnsProjects,
}

/// <summary>A user to create: <see cref="Password"/> null makes a user who signs in with tokens only.</summary>
internal sealed record NewUser(string Username, string? Name, string? Email, bool IsAdmin, string? Password);

/// <summary>The created user, or the field that was wrong and why (<see cref="Taken"/>: the username exists).</summary>
internal sealed record UserCreation(UserRecord? User, string? Field = null, string? Problem = null, bool Taken = false);

/// <summary>
/// An administrator's changes to users, with their rules and audit records, shared by the users API
/// (<see cref="UserEndpoints"/>, <see cref="UserDirectoryEndpoints"/>) and the admin users page: create (a valid
/// username, email and name; an optional password of 8 to 128 characters), block and unblock (never oneself; a
/// blocked user's tokens, sessions, password and git access stop at once), delete (never oneself, nor while projects
/// live in the user's namespace).
/// </summary>
internal sealed class UserAdministration(AuditLog auditLog, IIdentityStore identityStore, PasswordChanges passwords, TimeProvider time)
{
    /// <summary>The field that is wrong in a profile change and why, or null.</summary>
    public static (string Field, string Problem)? ProfileProblem(string? name, string? email) =>
        email is { Length: > 0 } && !UserEndpoints.IsValidEmail(email) ? ("email", "is invalid")
        : name is { Length: > 255 } ? ("name", "is too long (maximum is 255 characters)")
        : null;

    public async Task<UserCreation> CreateAsync(HttpContext http, UserRecord actor, NewUser input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!UserEndpoints.IsValidUsername(input.Username))
        {
            return new(null, "username", "can contain only letters, digits, '_', '-' and '.', and cannot start with '-' or '.'");
        }

        if (ProfileProblem(input.Name, input.Email) is var (field, problem))
        {
            return new(null, field, problem);
        }

        if (input.Password is not null && Passwords.Problem(input.Password) is { } weak)
        {
            return new(null, "password", weak);
        }

        var user = await identityStore.AddUserAsync(input.Username, input.IsAdmin, time.GetUtcNow(), CancellationToken.None);
        if (user is null)
        {
            // Taken by a user (GitLab's 409), or by a top-level group (one namespace space: the name's validation error).
            return new(null, "username", "has already been taken", Taken: await identityStore.FindSignInAsync(input.Username, CancellationToken.None) is not null);
        }

        await identityStore.UpdateUserAsync(user.Id, new UserChanges(NullIfEmpty(input.Name), NullIfEmpty(input.Email), null), CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(actor), "user_created", "User", user.Id, user.Username, user.IsAdmin ? "administrator" : null);
        if (input.Password is { } password)
        {
            await passwords.ChangeAsync(http, actor, user, password, keepSessionId: null, "set by an administrator when creating the user");
        }

        return new(user);
    }

    public async Task<UserChangeOutcome> SetBlockedAsync(HttpContext http, UserRecord actor, long uid, bool blocked)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (uid == actor.Id && blocked)
        {
            return UserChangeOutcome.Self;
        }

        if (await identityStore.GetUserAccountAsync(uid, http.RequestAborted) is not { } user)
        {
            return UserChangeOutcome.NotFound;
        }

        if (await identityStore.SetBlockedAsync(uid, blocked, CancellationToken.None))
        {
            await auditLog.RecordAsync(http, AuditActor.Of(actor), blocked ? "user_blocked" : "user_unblocked", "User", uid, user.Username, blocked ? "tokens and web sessions stop working" : null);
        }

        return UserChangeOutcome.Done;
    }

    public async Task<UserChangeOutcome> DeleteAsync(HttpContext http, UserRecord actor, long uid)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (uid == actor.Id)
        {
            return UserChangeOutcome.Self;
        }

        var user = await identityStore.GetUserAccountAsync(uid, http.RequestAborted);
        switch (await identityStore.DeleteUserAsync(uid, CancellationToken.None))
        {
            case UserDeletion.NotFound:
                return UserChangeOutcome.NotFound;
            case UserDeletion.OwnsProjects:
                return UserChangeOutcome.OwnsProjects;
            default:
                await auditLog.RecordAsync(http, AuditActor.Of(actor), "user_deleted", "User", uid, user?.Username, null);
                return UserChangeOutcome.Done;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

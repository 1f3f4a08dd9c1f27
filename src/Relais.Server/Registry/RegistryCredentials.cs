using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Registry;

/// <summary>
/// Reads the token endpoint's HTTP Basic credentials as GitLab's <c>find_for_git_client</c> does: no credentials is
/// anonymous; <c>gitlab-ci-token</c> with a running job's token is that job (<see cref="JobTokenCallers"/>); a
/// <c>gldt-</c> password is a deploy token (live, with its own username); a password matching a live personal access
/// token is that token's user (any username), with the abilities of its scopes; any other password is the user's
/// own password (checked as the sign-in form does: locked accounts refused, one hash whether the user exists or not).
/// Every failure is noted and counted once (<see cref="AuthEvents"/>), so the failed-credential throttle and the
/// audit log see it; null means 401.
/// </summary>
internal sealed class RegistryCredentials(
    IIdentityStore identities, IMemberStore members, IDeployTokenStore deployTokens, JobTokenCallers jobTokens, SignInPasswordCheck passwords, TimeProvider time)
{
    public async Task<RegistryCaller?> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (GitAccess.ReadBasic(http.Request) is not var (user, password))
        {
            return RegistryCaller.Anonymous;
        }

        if (password.Length == 0)
        {
            return null;
        }

        if (user == GitAccess.JobTokenUser)
        {
            var (caller, _) = await jobTokens.AuthenticateAsync(http, password);
            return caller is null ? null : new RegistryCaller(caller.User?.Username ?? "", RegistryAbilities.Pull | RegistryAbilities.Push | RegistryAbilities.Delete, caller);
        }

        if (password.StartsWith(Tokens.DeployPrefix, StringComparison.Ordinal))
        {
            return await DeployTokenAsync(http, user, password);
        }

        var cancel = http.RequestAborted;
        if (await identities.FindTokenAsync(Tokens.Hash(password), time.GetUtcNow(), cancel) is { } token)
        {
            AuthEvents.Succeeded(http, TokenKind.Personal, token.Id, token.Username, password);
            var caller = await ApiCaller.WithMembershipsAsync(token.User, token, members, time.GetUtcNow(), cancel);
            return new RegistryCaller(token.Username, AbilitiesOf(token.ScopeList), caller);
        }

        if (password.StartsWith(Tokens.PersonalPrefix, StringComparison.Ordinal))
        {
            AuthEvents.Failed(http, TokenKind.Personal, password, gitUser: user);
            return null;
        }

        return await PasswordAsync(http, user, password);
    }

    /// <summary>What a personal access token's scopes allow in the registry (GitLab: <c>api</c> everything, <c>read_api</c> and <c>read_registry</c> pull, <c>write_registry</c> push).</summary>
    public static RegistryAbilities AbilitiesOf(IReadOnlyCollection<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var abilities = RegistryAbilities.None;
        if (scopes.Contains(TokenScopes.Api))
        {
            abilities |= RegistryAbilities.Pull | RegistryAbilities.Push | RegistryAbilities.Delete;
        }

        if (scopes.Contains(TokenScopes.ReadApi) || scopes.Contains(TokenScopes.ReadRegistry))
        {
            abilities |= RegistryAbilities.Pull;
        }

        if (scopes.Contains(TokenScopes.WriteRegistry))
        {
            abilities |= RegistryAbilities.Push;
        }

        return abilities;
    }

    private async Task<RegistryCaller?> DeployTokenAsync(HttpContext http, string user, string password)
    {
        var token = await deployTokens.FindByHashAsync(Tokens.Hash(password), http.RequestAborted);
        if (token is null || !token.IsActive(time.GetUtcNow()) || token.Username != user)
        {
            AuthEvents.Failed(http, TokenKind.Deploy, password, gitUser: user);
            return null;
        }

        AuthEvents.Succeeded(http, TokenKind.Deploy, token.Id, token.Username, password);
        var scopes = token.ScopeList;
        var abilities = (scopes.Contains(DeployTokenScopes.ReadRegistry) ? RegistryAbilities.Pull : RegistryAbilities.None)
            | (scopes.Contains(DeployTokenScopes.WriteRegistry) ? RegistryAbilities.Push : RegistryAbilities.None);
        return new RegistryCaller(token.Username, abilities, DeployToken: token);
    }

    private async Task<RegistryCaller?> PasswordAsync(HttpContext http, string user, string password)
    {
        if (AuthEvents.PasswordLocked(http, user) is { } wait)
        {
            throw new AuthRefusedException(wait);
        }

        var account = user.Length > 0 ? await identities.FindSignInAsync(user, http.RequestAborted) : null;
        if (passwords.Verify(account, password) is not { } verified)
        {
            AuthEvents.PasswordFailed(http, user);
            return null;
        }

        var caller = await ApiCaller.WithMembershipsAsync(verified.User, null, members, time.GetUtcNow(), http.RequestAborted);
        return new RegistryCaller(verified.Username, RegistryAbilities.Pull | RegistryAbilities.Push | RegistryAbilities.Delete, caller);
    }
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// Git over HTTP with a deploy token, as GitLab does it: Basic <c>username:token</c> where the password starts with
/// <c>gldt-</c>. The token must be live (not revoked, not expired) and the username its own, else 401, counted as a
/// failed credential like any unknown token; it works on its own project only (another project is 404); fetching needs
/// <c>read_repository</c>, pushing <c>write_repository</c>, else 403. A deploy token never creates a project.
/// </summary>
internal sealed class DeployTokenGitAccess(IDeployTokenStore tokens, IProjectStore projects, TimeProvider time)
{
    /// <summary>The decision for a deploy token's request; null when <paramref name="password"/> is not a deploy token (another kind decides).</summary>
    public async Task<GitAccessDecision?> DecideAsync(HttpRequest request, string user, string password, string projectPath, GitOperation operation)
    {
        if (!password.StartsWith(Tokens.DeployPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var http = request.HttpContext;
        var token = await tokens.FindByHashAsync(Tokens.Hash(password), http.RequestAborted);
        if (token is null || !token.IsActive(time.GetUtcNow()) || token.Username != user)
        {
            AuthEvents.Failed(http, TokenKind.Deploy, password, gitUser: user);
            return new(StatusCodes.Status401Unauthorized, null);
        }

        AuthEvents.Succeeded(http, TokenKind.Deploy, token.Id, token.Username, password);
        if (await projects.FindProjectAsync(projectPath, http.RequestAborted) is not { } project || project.Id != token.ProjectId)
        {
            return new(StatusCodes.Status404NotFound, null);
        }

        var needed = operation == GitOperation.Write ? DeployTokenScopes.WriteRepository : DeployTokenScopes.ReadRepository;
        return token.ScopeList.Contains(needed) ? new(StatusCodes.Status200OK, null) : new(StatusCodes.Status403Forbidden, null);
    }
}

using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>What a git request wants to do with a repository.</summary>
internal enum GitOperation
{
    /// <summary>Clone or fetch (<c>git-upload-pack</c>).</summary>
    Read,

    /// <summary>Push (<c>git-receive-pack</c>).</summary>
    Write,
}

/// <summary>
/// The answer to a git request's credentials: allowed (and by whom) or the HTTP status to refuse with.
/// <see cref="DeployKeyId"/> is the deploy key acting when there is no user (git over SSH with a deploy key), so rules on
/// pushes (protected branches) can see which key pushes; <see cref="Caller"/> is the user with their memberships, as the
/// decision saw them (a push's rules ask it for the pusher's role).
/// </summary>
internal readonly record struct GitAccessDecision(int Status, UserRecord? User, long? DeployKeyId = null, ApiCaller? Caller = null)
{
    public bool Allowed => Status == StatusCodes.Status200OK;
}

/// <summary>
/// HTTP Basic authentication for git, as GitLab does it: any username with a personal access token as the
/// password (the user's role decides, as for the REST API: see <see cref="DecideForUserAsync"/>; fetching needs the scope
/// <c>api</c>, <c>read_api</c>, <c>read_repository</c> or <c>write_repository</c>, pushing <c>api</c> or
/// <c>write_repository</c>, else 403; an expired or revoked token is unknown), or
/// <c>gitlab-ci-token</c> with the token of a running job (read-only, that job's project only), or a deploy token
/// (<see cref="DeployTokenGitAccess"/>: its username and <c>gldt-</c> value, its project only, by its scopes). Missing or
/// unknown credentials → 401 (git then asks for them), except that anyone may clone a public project; another
/// user's private project → 404 (it is invisible), their public one is read-only (push → 403); a job token pushing → 403.
/// </summary>
internal sealed class GitAccess(
    IPipelineStore pipelineStore, IProjectStore projectStore, IIdentityStore identityStore, IMemberStore memberStore, IGroupStore groupStore, DeployTokenGitAccess deployTokens, TimeProvider time)
{
    public const string JobTokenUser = "gitlab-ci-token";

    /// <summary>Git over SSH's relay tokens (user <see cref="Relais.Server.Ssh.SshGitTokens.BasicUser"/>); null when SSH is off.</summary>
    public Relais.Server.Ssh.SshGitAccess? SshRelay { get; init; }

    public async Task<GitAccessDecision> DecideAsync(HttpRequest request, string group, string projectPath, GitOperation operation)
    {
        var cancel = request.HttpContext.RequestAborted;
        if (ReadBasic(request) is not var (user, password) || password.Length == 0)
        {
            // A public project can be cloned without credentials; anything else asks for them.
            return operation == GitOperation.Read && await IsPublicAsync(projectPath, cancel)
                ? new(StatusCodes.Status200OK, null)
                : new(StatusCodes.Status401Unauthorized, null);
        }

        var hash = Tokens.Hash(password);
        if (user == JobTokenUser)
        {
            var job = await pipelineStore.FindJobByTokenAsync(hash, cancel);
            if (job is null)
            {
                AuthEvents.Failed(request.HttpContext, TokenKind.Job, password);
            }

            if (job is not { IsProcessing: true })
            {
                return new(StatusCodes.Status401Unauthorized, null);
            }

            AuthEvents.Succeeded(request.HttpContext, TokenKind.Job, job.Id, $"job #{job.Id}", password);

            var project = await projectStore.GetProjectAsync(job.ProjectId, cancel);
            return project?.Path != projectPath ? new(StatusCodes.Status404NotFound, null)
                : operation == GitOperation.Write ? new(StatusCodes.Status403Forbidden, null)
                : new(StatusCodes.Status200OK, null);
        }

        if (await deployTokens.DecideAsync(request, user, password, projectPath, operation) is { } byDeployToken)
        {
            return byDeployToken;
        }

        // Git over SSH's relay (a deploy token with that username was decided above, by its gldt- value).
        if (user == Relais.Server.Ssh.SshGitTokens.BasicUser)
        {
            return SshRelay is null ? new(StatusCodes.Status401Unauthorized, null) : await SshRelay.DecideByTokenAsync(this, password, group, projectPath, operation, cancel);
        }

        var token = await identityStore.FindTokenAsync(hash, time.GetUtcNow(), cancel);
        if (token is null)
        {
            AuthEvents.Failed(request.HttpContext, TokenKind.Personal, password, gitUser: user);
            return new(StatusCodes.Status401Unauthorized, null);
        }

        AuthEvents.Succeeded(request.HttpContext, TokenKind.Personal, token.Id, token.Username, password);
        if (!TokenScopes.Allows(token.ScopeList, operation == GitOperation.Write ? TokenNeed.WriteRepository : TokenNeed.ReadRepository))
        {
            return new(StatusCodes.Status403Forbidden, null);
        }

        return await DecideForUserAsync(await ApiCaller.WithMembershipsAsync(token.User, token, memberStore, time.GetUtcNow(), cancel), group, projectPath, operation, cancel);
    }

    /// <summary>
    /// A known user's git request, by role: fetching needs Reporter (anyone on a public project), pushing Developer
    /// (protected refs are checked per ref when the push arrives). A project the user cannot see is 404; one they see
    /// but may not use this way is 403. Pushing a project that does not exist yet (push to create) needs the right to
    /// create projects in the namespace (<see cref="MayCreateInAsync"/>).
    /// </summary>
    internal async Task<GitAccessDecision> DecideForUserAsync(ApiCaller caller, string group, string projectPath, GitOperation operation, CancellationToken cancel)
    {
        var user = caller.User!;
        if (await projectStore.FindProjectAsync(projectPath, cancel) is not { } project)
        {
            var mayCreate = operation == GitOperation.Write && await MayCreateInAsync(caller, group, cancel)
                && await groupStore.FindGroupAsync(projectPath, cancel) is null;
            return mayCreate ? new(StatusCodes.Status200OK, user, Caller: caller) : new(StatusCodes.Status404NotFound, null);
        }

        if (!caller.CanSee(project))
        {
            return new(StatusCodes.Status404NotFound, null);
        }

        var needed = operation == GitOperation.Write ? AccessLevel.Developer : AccessLevel.Reporter;
        return caller.Has(project, needed) ? new(StatusCodes.Status200OK, user, Caller: caller) : new(StatusCodes.Status403Forbidden, null);
    }

    /// <summary>
    /// Push to create: into the pusher's own namespace, or an existing group where they may create projects
    /// (<see cref="NamespaceRules.MayCreateProjectIn"/>); an administrator anywhere.
    /// </summary>
    private async Task<bool> MayCreateInAsync(ApiCaller caller, string namespacePath, CancellationToken cancel)
    {
        if (caller.IsAdmin || string.Equals(namespacePath, caller.User!.Username, StringComparison.Ordinal))
        {
            return true;
        }

        return await groupStore.FindGroupAsync(namespacePath, cancel) is { } group
            && group.FullPath == namespacePath
            && NamespaceRules.MayCreateProjectIn(caller, group);
    }

    private async Task<bool> IsPublicAsync(string projectPath, CancellationToken cancel) =>
        await projectStore.FindProjectAsync(projectPath, cancel) is { Visibility: "public" };

    /// <summary>The user and password of an <c>Authorization: Basic</c> header, or null.</summary>
    public static (string User, string Password)? ReadBasic(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

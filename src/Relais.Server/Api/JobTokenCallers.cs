using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// CI/CD job tokens on the REST API, as GitLab has them: valid only while the job runs, acting with the role of the
/// user who caused the job's pipeline (a pipeline nobody known caused: Developer of its own project only), and, on any
/// project but the job's own, only when that project's inbound job token scope allows the job's project.
/// </summary>
internal sealed class JobTokenCallers(IPipelineStore pipelines, IIdentityStore identities, IMemberStore members, IJobTokenScopeStore scopes, TimeProvider time)
{
    /// <summary>The caller a job token stands for, or a 401 (unknown token, or its job is no longer running) with nothing said about which.</summary>
    public async Task<(ApiCaller? Caller, IResult? Denied)> AuthenticateAsync(HttpContext http, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        var cancel = http.RequestAborted;
        var job = await pipelines.FindJobByTokenAsync(Tokens.Hash(token), cancel);
        if (job is not { IsProcessing: true })
        {
            AuthEvents.Failed(http, TokenKind.Job, token);
            return (null, ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized"));
        }

        AuthEvents.Succeeded(http, TokenKind.Job, job.Id, $"job #{job.Id}", token);
        return (await OfJobAsync(job, cancel), null);
    }

    /// <summary>The caller a job acts as (its token's, and the <c>release:</c> keyword's): the user who caused its pipeline.</summary>
    public async Task<ApiCaller> OfJobAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pipeline = await pipelines.GetPipelineAsync(job.PipelineId, cancel);
        var user = pipeline?.UserId is long userId ? await identities.GetUserAsync(userId, cancel) : null;
        var caller = user is null
            ? new ApiCaller((UserRecord?)null)
            : await ApiCaller.WithMembershipsAsync(user, null, members, time.GetUtcNow(), cancel);
        return caller with { Job = job };
    }

    /// <summary>Whether <paramref name="job"/>'s token may reach <paramref name="project"/> (its own project always).</summary>
    public Task<bool> InScopeAsync(ProjectRecord project, JobRecord job, CancellationToken cancel) =>
        project.Id == job.ProjectId ? Task.FromResult(true) : scopes.AllowsAsync(project.Id, job.ProjectId, cancel);
}

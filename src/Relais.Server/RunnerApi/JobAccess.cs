using Microsoft.AspNetCore.Http;
using Relais.Protocol;
using Relais.Server.Auth;
using Relais.Server.Reliability;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>
/// Checks a job token against the job a runner reports on. A token is valid only for its own job and only
/// while that job runs (or is being canceled); otherwise 403, with <c>Job-Status</c> when the caller did hold
/// the job's token (so a runner learns its job was canceled), and nothing at all for anyone else.
/// </summary>
internal sealed class JobAccess(IPipelineStore pipelineStore, JobHeartbeats heartbeats)
{
    public async Task<(JobRecord? Job, IResult? Denied)> CheckAsync(HttpContext http, long jobId, string? bodyToken = null)
    {
        if (RequestTokens.Job(http.Request, bodyToken) is not { } token)
        {
            return (null, ApiResults.Error(StatusCodes.Status401Unauthorized));
        }

        var job = await pipelineStore.FindJobByTokenAsync(Tokens.Hash(token), http.RequestAborted);
        if (job is null || job.Id != jobId)
        {
            // Unknown, or another job's: both count as a failed authentication (a finished job's own token does not).
            Security.AuthEvents.Failed(http, Security.TokenKind.Job, token);
            return (null, ApiResults.Error(StatusCodes.Status403Forbidden));
        }

        Security.AuthEvents.Succeeded(http, Security.TokenKind.Job, job.Id, $"job #{job.Id}", token);
        if (!job.IsProcessing)
        {
            http.Response.Headers["Job-Status"] = job.Status.ToGitLab();
            return (null, ApiResults.Error(StatusCodes.Status403Forbidden));
        }

        await heartbeats.SeenAsync(job.Id);

        return (job, null);
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines.Releases;

/// <summary>
/// The <c>release:</c> keyword, on the coordinator: when a job that has one reports success, its release is created
/// (<see cref="ReleaseCreator"/>, as the REST API does) by the user who caused its pipeline, with the job's variables
/// expanded (<see cref="ReleaseSection"/>). Its log says "Creating release TAG" and then the outcome, as release-cli
/// would; a release that cannot be created (no Developer role, one exists already, bad tag or link) fails the job, as
/// release-cli failing fails it in GitLab.
/// </summary>
internal sealed class ReleaseKeyword(IPipelineStore pipelines, IProjectStore projects, PayloadFactory payloads, JobTokenCallers callers, ReleaseCreator creator, TraceStore traces, TimeProvider time)
{
    /// <summary>Whether <paramref name="job"/> may succeed: true when it has no <c>release:</c> or its release was created.</summary>
    public async Task<bool> RunAsync(HttpContext http, JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var state = (await pipelines.GetPipelineStateAsync(job.PipelineId))?.State;
        if (state?.Plan.Job(job.Name)?.Extras.GetValueOrDefault("release") is not { } written
            || await projects.GetProjectAsync(job.ProjectId) is not { } project)
        {
            return true;
        }

        // The variables the job saw (no job token: nothing here needs one).
        var variables = (await payloads.BuildAsync(job, "", time.GetUtcNow())).Variables;
        string? Lookup(string name) => variables.LastOrDefault(v => v.Key == name)?.Value;
        var (request, problem) = ReleaseSection.Read(written.Json, Lookup);
        await LogAsync(job.Id, $"Creating release {request?.TagName}");
        if (request is null)
        {
            return await FailAsync(job.Id, problem!);
        }

        var caller = await callers.OfJobAsync(job, CancellationToken.None);
        if (!caller.Has(project, AccessLevel.Developer))
        {
            return await FailAsync(job.Id, "403 Forbidden");
        }

        var (created, refused) = await creator.CreateAsync(http, caller, project, request);
        if (created is null)
        {
            return await FailAsync(job.Id, refused!.ToString());
        }

        await LogAsync(job.Id, $"Release {created.TagName} created ({created.Name})");
        return true;
    }

    private async Task<bool> FailAsync(long jobId, string why)
    {
        await LogAsync(jobId, "ERROR: the release could not be created: " + why);
        return false;
    }

    /// <summary>Appends a line to the end of the job's log (where the runner's last report ended).</summary>
    private async Task LogAsync(long jobId, string line)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(line + "\n"));
        try
        {
            await traces.AppendAsync(jobId, traces.Length(jobId), body, CancellationToken.None);
        }
        catch (IOException)
        {
            // A log that cannot take the line (disk full) changes nothing about the release.
        }
    }
}

using Relais.Pipelines.Plan;
using Relais.Pipelines.Variables;
using Relais.Protocol.Jobs;
using Relais.Server.Api;
using Relais.Server.Artifacts;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// <c>needs:project</c>: a job fetches the artifacts of the latest successful job of that name on a ref of another
/// project, as GitLab does — only when the user its pipeline runs as may read that project (Reporter) and that
/// project's CI/CD job token allowlist lets the job's project in. The payload lists the job (<see cref="DependenciesAsync"/>)
/// and the artifact download lets the job's token read it (<see cref="MayReadAsync"/>), by the same rule.
/// </summary>
internal sealed class ProjectNeedArtifacts(JobTokenCallers callers, IProjectStore projects, RefArtifactJobs refJobs, IArtifactStore artifacts)
{
    /// <summary>The dependencies <paramref name="plan"/>'s <c>needs:project</c> entries name (with artifacts), their fields expanded in the job's variables; entries the job may not read are left out.</summary>
    public async Task<IReadOnlyList<JobDependency>> DependenciesAsync(JobRecord job, JobPlan plan, IReadOnlyList<JobVariable> variables, string jobToken, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var found = new List<JobDependency>();
        if (plan.ProjectNeeds.IsEmpty)
        {
            return found;
        }

        var caller = await callers.OfJobAsync(job, cancel);
        foreach (var need in plan.ProjectNeeds.Where(n => n.Artifacts))
        {
            var path = Expand(need.Project, variables).Trim('/');
            if (await projects.FindProjectAsync(path, cancel) is not { } target
                || !await MayReachAsync(caller, job, target, cancel)
                || await refJobs.FindAsync(target, Expand(need.Ref, variables), Expand(need.Job, variables), searchRecent: false, cancel) is not { } source
                || await artifacts.FindArtifactAsync(source.Id, "archive", cancel) is not { } archive)
            {
                continue;
            }

            found.Add(new JobDependency
            {
                Id = source.Id,
                Name = source.Name,
                Token = jobToken,
                ArtifactsFile = new ArtifactsFile { Filename = archive.Filename, Size = archive.Size },
            });
        }

        return found;
    }

    /// <summary>Whether <paramref name="reader"/>'s token may download <paramref name="target"/>'s artifacts as a <c>needs:project</c> of another project.</summary>
    public async Task<bool> MayReadAsync(JobRecord reader, JobRecord target, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(target);
        return target.ProjectId != reader.ProjectId
            && await projects.GetProjectAsync(target.ProjectId, cancel) is { } project
            && await MayReachAsync(await callers.OfJobAsync(reader, cancel), reader, project, cancel);
    }

    private async Task<bool> MayReachAsync(ApiCaller caller, JobRecord job, ProjectRecord target, CancellationToken cancel) =>
        caller.CanRead(target) && await callers.InScopeAsync(target, job, cancel);

    private static string Expand(string text, IReadOnlyList<JobVariable> variables) =>
        VariableExpander.Expand(text, key => variables.LastOrDefault(v => v.Key == key)?.Value);
}

using System.Text.Json;
using Relais.Dispatch;
using Relais.Pipelines.Plan;
using Relais.Protocol.Jobs;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Pipelines;

/// <summary>
/// Builds the payload for a job a runner just claimed, with <see cref="JobPayloadBuilder"/>: the stored plan
/// and context, the artifacts of the jobs it depends on (downloaded with its own job token, as current GitLab
/// does), the variables of their dotenv reports, the variables given when the job was played, and in a child
/// pipeline also the parent pipeline's jobs its <c>needs:pipeline:job</c> names (<see cref="Links"/>); with a container
/// registry, its variables, the job token as registry credentials and the registry's CA (<see cref="Registry"/>); for a
/// job with an environment, the project's Kubernetes setting covering it (<see cref="Clusters"/>).
/// </summary>
public sealed class PayloadFactory(IPipelineStore pipelines, IProjectStore projects, IArtifactStore artifactStore, string externalUrl, Security.SecretBox secrets)
{
    /// <summary>Where the variables given when playing a manual job are kept; without it, jobs run without them.</summary>
    public IJobPlayVariableStore? PlayVariableStore { get; init; }

    /// <summary>Where a child pipeline finds its parent (for <c>needs:pipeline:job</c>); null: such needs are not fetched.</summary>
    public IDownstreamStore? Links { get; init; }

    /// <summary>What <c>needs:project</c> fetches; null: such needs are not fetched.</summary>
    internal ProjectNeedArtifacts? ProjectNeeds { get; init; }

    /// <summary>The container registry (issue #15): its variables, credentials and CA go into every payload; null: none.</summary>
    public Registry.RegistrySetup? Registry { get; init; }

    /// <summary>The projects' Kubernetes settings (issue #16): a deploy job's <c>KUBE_*</c> variables and <c>KUBECONFIG</c>; null: none.</summary>
    public IClusterStore? Clusters { get; init; }

    public async Task<JobResponse> BuildAsync(JobRecord job, string jobToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (pipeline, state) = await pipelines.GetPipelineStateAsync(job.PipelineId) ?? throw new InvalidOperationException($"pipeline {job.PipelineId} is gone");
        if (state is null)
        {
            throw new InvalidOperationException($"pipeline {job.PipelineId} has no engine state");
        }

        var project = await projects.GetProjectAsync(job.ProjectId) ?? throw new InvalidOperationException($"project {job.ProjectId} is gone");
        // The context was stored before the pipeline had an id.
        var context = StateJson.ReadContext(pipeline.ContextJson) with { PipelineId = pipeline.Id, PipelineIid = pipeline.Id };
        context = context with { Variables = [.. context.Variables.Select(v => v with { Value = secrets.Unprotect(v.Value) })] };
        var plan = state.Plan.Job(job.Name)!;
        var (dependencies, dotenv) = await DependenciesAsync(state.Plan, plan, job, jobToken);
        var played = PlayVariableStore is null ? null : await PlayVariableStore.ForJobAsync(job);
        var kubernetes = Clusters is null ? null : Environments.ClusterSelection.For(await Clusters.ListAsync(project.Id), project, JobEnvironments.Resolve(plan, context));
        var response = JobPayloadBuilder.Build(new JobDispatch
        {
            Plan = state.Plan,
            Job = plan,
            Context = context,
            JobId = job.Id,
            JobToken = jobToken,
            RepoUrl = RepoUrl(project.Path, jobToken),
            StartedAt = now,
            Dependencies = dependencies,
            DotenvVariables = dotenv,
            PlayVariables = played is null ? [] : Pipelines.PlayVariables.Open(played, secrets),
            Registry = Registry is { } registry ? new JobRegistry(registry.Address, registry.ImageOf(project.Path), registry.CaCertificatePem) : null,
            Kubernetes = kubernetes,
        });
        if (!plan.PipelineNeeds.IsEmpty && Links is not null)
        {
            response.Dependencies = [.. response.Dependencies, .. await ParentDependenciesAsync(job, plan, response.Variables, jobToken)];
        }

        if (!plan.ProjectNeeds.IsEmpty && ProjectNeeds is not null)
        {
            response.Dependencies = [.. response.Dependencies, .. await ProjectNeeds.DependenciesAsync(job, plan, response.Variables, jobToken)];
        }

        return response;
    }

    /// <summary>
    /// The parent pipeline's jobs named by <c>needs:pipeline:job</c> (with artifacts), their <c>pipeline</c> expanded
    /// in the job's variables (<c>$PARENT_PIPELINE_ID</c>); as in GitLab only the parent pipeline may be named.
    /// </summary>
    private async Task<List<JobDependency>> ParentDependenciesAsync(JobRecord self, JobPlan plan, IReadOnlyList<Relais.Protocol.Jobs.JobVariable> variables, string jobToken)
    {
        var found = new List<JobDependency>();
        if (await Links!.UpstreamOfAsync(self.PipelineId) is not { } up)
        {
            return found;
        }

        var parentJobs = await pipelines.CurrentJobsAsync(up.PipelineId);
        foreach (var need in plan.PipelineNeeds.Where(n => n.Artifacts))
        {
            var value = Relais.Pipelines.Variables.VariableExpander.Expand(need.Pipeline, key => variables.LastOrDefault(v => v.Key == key)?.Value);
            if (value != up.PipelineId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                || parentJobs.FirstOrDefault(j => j.Name == need.Job) is not { } dep)
            {
                continue;
            }

            var archive = await artifactStore.FindArtifactAsync(dep.Id, "archive");
            found.Add(new JobDependency
            {
                Id = dep.Id,
                Name = dep.Name,
                Token = jobToken,
                ArtifactsFile = archive is null ? null : new ArtifactsFile { Filename = archive.Filename, Size = archive.Size },
            });
        }

        return found;
    }

    private string RepoUrl(string projectPath, string jobToken)
    {
        var uri = new UriBuilder(externalUrl.TrimEnd('/') + "/" + projectPath + ".git") { UserName = "gitlab-ci-token", Password = jobToken };
        return uri.Uri.AbsoluteUri;
    }

    /// <summary>The artifacts and dotenv variables of the jobs <see cref="ArtifactDependencies"/> names.</summary>
    private async Task<(List<JobDependency>, List<PlanVariable>)> DependenciesAsync(PipelinePlan plan, JobPlan job, JobRecord self, string jobToken)
    {
        var wanted = ArtifactDependencies.Of(plan, job).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return ([], []); // a job of the first stage, or one that needs no artifacts: nothing to look up
        }

        var jobs = (await pipelines.CurrentJobsAsync(self.PipelineId)).Where(j => wanted.Contains(j.Name)).ToList();
        var artifacts = await artifactStore.ArtifactsOfAsync([.. jobs.Select(j => j.Id)]);
        var dependencies = new List<JobDependency>();
        var dotenv = new List<PlanVariable>();
        foreach (var dep in jobs)
        {
            var archive = artifacts.FirstOrDefault(a => a.JobId == dep.Id && a.FileType == "archive");
            dependencies.Add(new JobDependency
            {
                Id = dep.Id,
                Name = dep.Name,
                Token = jobToken,
                ArtifactsFile = archive is null ? null : new ArtifactsFile { Filename = archive.Filename, Size = archive.Size },
            });
            if (artifacts.FirstOrDefault(a => a.JobId == dep.Id && a.FileType == "dotenv")?.DotenvJson is { } json)
            {
                // Sealed since the dotenv values are kept encrypted; a row written before that reads back unchanged.
                var pairs = JsonSerializer.Deserialize<Dictionary<string, string>>(secrets.Unprotect(json)) ?? [];
                dotenv.AddRange(pairs.Select(p => new PlanVariable(p.Key, p.Value)));
            }
        }

        return (dependencies, dotenv);
    }
}

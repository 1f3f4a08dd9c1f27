using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Api;

/// <summary>Makes a <see cref="JobViewBuilder"/> per call from the stores, the repositories and the external URL it reads.</summary>
internal sealed class JobViews(
    IPipelineStore pipelineStore, IRunnerStore runnerStore, IArtifactStore artifactStore, IIdentityStore identityStore, IJobTokenScopeStore scopeStore,
    GitRepositories repositories, string externalUrl, TimeProvider time)
{
    private readonly ProjectRepository _repository = new(repositories, externalUrl);

    /// <summary>A builder for the jobs of <paramref name="project"/>; the view is the same for every <paramref name="caller"/> allowed to read it.</summary>
    public JobViewBuilder Builder(ProjectRecord project, ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(new JobViewSources(pipelineStore, runnerStore, artifactStore, identityStore, scopeStore, _repository, externalUrl, time), project);
    }
}

/// <summary>What a <see cref="JobViewBuilder"/> reads from.</summary>
internal sealed record JobViewSources(
    IPipelineStore Pipelines, IRunnerStore Runners, IArtifactStore Artifacts, IIdentityStore Identity, IJobTokenScopeStore Scopes,
    ProjectRepository Repository, string ExternalUrl, TimeProvider Time);

/// <summary>
/// Builds job objects in GitLab's shape: the row (id, runner, erased) joined with the engine's <see cref="JobState"/>
/// of that attempt (times, allow_failure), its pipeline (with the pipeline's user as the job's <c>user</c>), the
/// pipeline's commit read from git, and the job's artifact rows. Pipelines, users, commits and runners are read once
/// per builder; a list's artifacts in one query.
/// </summary>
internal sealed class JobViewBuilder(JobViewSources sources, ProjectRecord project)
{
    private readonly Dictionary<long, (PipelineRecord Row, PipelineState? State)> _pipelines = [];
    private readonly Dictionary<long, UserView?> _users = [];
    private readonly Dictionary<string, CommitView?> _commits = new(StringComparer.Ordinal);
    private IReadOnlyList<RunnerRecord>? _runners;
    private bool? _scopeEnabled;

    public async Task<JobView> BuildAsync(JobRecord job, bool retried, CancellationToken cancel) =>
        (await BuildAllAsync([(job, retried)], cancel))[0];

    /// <summary>The views of <paramref name="jobs"/>, in order (each with whether a later attempt of it exists).</summary>
    public async Task<IReadOnlyList<JobView>> BuildAllAsync(IReadOnlyList<(JobRecord Job, bool Retried)> jobs, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var artifacts = (await sources.Artifacts.ArtifactsOfAsync([.. jobs.Select(j => j.Job.Id)], cancel)).ToLookup(a => a.JobId);
        foreach (var pipelineId in jobs.Select(j => j.Job.PipelineId).Distinct())
        {
            await PipelineAsync(pipelineId, cancel);
        }

        await ReadCommitsAsync(_pipelines.Values.Select(p => p.Row.Sha), cancel);
        _scopeEnabled ??= await sources.Scopes.IsEnabledAsync(project.Id, cancel);
        var views = new List<JobView>(jobs.Count);
        foreach (var (job, retried) in jobs)
        {
            views.Add(await BuildOneAsync(job, retried, [.. artifacts[job.Id]], cancel));
        }

        return views;
    }

    private async Task<JobView> BuildOneAsync(JobRecord job, bool retried, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancel)
    {
        var (p, pipelineState) = await PipelineAsync(job.PipelineId, cancel);
        var state = pipelineState?.Jobs.FirstOrDefault(j => j.Name == job.Name && j.Attempt == job.Attempt);
        RunnerView? runner = null;
        if (job.RunnerId is { } runnerId)
        {
            _runners ??= await sources.Runners.ListRunnersAsync(cancel);
            runner = _runners.FirstOrDefault(r => r.Id == runnerId) is { } r ? ApiViews.Runner(r, sources.Time.GetUtcNow()) : null;
        }

        var url = sources.ExternalUrl;
        var archive = artifacts.FirstOrDefault(a => a.FileType == "archive");
        var duration = state?.StartedAt is { } started ? (state.FinishedAt ?? sources.Time.GetUtcNow()) - started : (TimeSpan?)null;
        return new JobView(
            job.Id,
            job.Status.ToGitLab(),
            job.Stage,
            job.Name,
            p.Ref,
            !string.IsNullOrEmpty(p.ContextJson) && StateJson.ReadContext(p.ContextJson).IsTag,
            null,
            state?.AllowFailure ?? false,
            ApiJson.Time(state?.CreatedAt),
            ApiJson.Time(state?.StartedAt),
            ApiJson.Time(state?.FinishedAt),
            ApiJson.Time(job.ErasedAt),
            ApiJson.Seconds(duration),
            ApiJson.Seconds(state is { StartedAt: { } st, QueuedAt: { } q } ? st - q : null),
            await UserAsync(p.UserId, cancel),
            _commits.GetValueOrDefault(p.Sha),
            new JobPipelineView(p.Id, p.Id, p.ProjectId, p.Sha, p.Ref, p.Status.ToGitLab(), ApiViews.SourceOf(p), ApiJson.Time(p.CreatedAt), ApiJson.Time(p.UpdatedAt), $"{url}/{project.Path}/-/pipelines/{p.Id}"),
            job.Status == CiStatus.Failed ? job.FailureReason ?? FailureReasons.UnknownFailure : null,
            $"{url}/{project.Path}/-/jobs/{job.Id}",
            new JobProjectView(_scopeEnabled ?? true),
            archive is null ? null : new ArtifactsFileView(archive.Filename, archive.Size),
            [.. artifacts.Select(a => new JobArtifactView(a.FileType, a.Size, a.Filename, a.FileFormat))],
            runner,
            null,
            ApiJson.Time((archive ?? artifacts.FirstOrDefault(a => a.ExpireAt is not null))?.ExpireAt),
            false,
            Tags.Split(job.Tags),
            retried);
    }

    private async Task<(PipelineRecord Row, PipelineState? State)> PipelineAsync(long pipelineId, CancellationToken cancel)
    {
        if (!_pipelines.TryGetValue(pipelineId, out var pipeline))
        {
            var snapshot = await sources.Pipelines.GetPipelineStateAsync(pipelineId, cancel) ?? throw new InvalidOperationException($"pipeline {pipelineId} is gone");
            pipeline = (snapshot.Row, snapshot.State);
            _pipelines[pipelineId] = pipeline;
        }

        return pipeline;
    }

    /// <summary>The user who caused the pipeline, as the job's <c>user</c>; null when unknown.</summary>
    private async Task<UserView?> UserAsync(long? userId, CancellationToken cancel)
    {
        if (userId is not { } id)
        {
            return null;
        }

        if (!_users.TryGetValue(id, out var view))
        {
            view = await sources.Identity.GetUserAsync(id, cancel) is { } user ? ApiViews.User(user, sources.ExternalUrl) : null;
            _users[id] = view;
        }

        return view;
    }

    /// <summary>Reads the commits not read yet in one git call; one git cannot read (no repository, an unknown sha) stays null.</summary>
    private async Task ReadCommitsAsync(IEnumerable<string> shas, CancellationToken cancel)
    {
        var wanted = shas.Where(s => s.Length > 0 && !_commits.ContainsKey(s)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var read = sources.Repository.Open(project) is { } git
            ? await sources.Repository.CommitsAsync(project, git, wanted, cancel)
            : new Dictionary<string, CommitView>();
        foreach (var sha in wanted)
        {
            _commits[sha] = read.GetValueOrDefault(sha);
        }
    }
}

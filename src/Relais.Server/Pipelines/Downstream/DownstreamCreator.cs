using System.IO.Compression;
using Relais.Engine;
using Relais.Dispatch.Downstream;
using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Artifacts;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>
/// Creates the downstream pipeline of a bridge job, as GitLab does: a child pipeline (<c>trigger:include</c>: the
/// parent's project, sha and ref, source <c>parent_pipeline</c>, its files at that sha and files from earlier jobs'
/// artifacts) or a multi-project pipeline (<c>trigger:project</c>, at <c>branch</c> or the default branch, source
/// <c>pipeline</c>, only when the upstream pipeline's user is a Developer there). Either runs as the upstream
/// pipeline's user with the variables <see cref="BridgeVariables"/> passes, and is linked to the bridge.
/// </summary>
internal sealed class DownstreamCreator(
    AggregateStores stores, PipelineCreator creator, PipelineUsers users, GitRepositories repositories, IPipelineConfigSource configs,
    ArtifactBlobs blobs, Security.SecretBox secrets, TimeProvider time)
{
    /// <summary>How many child pipelines deep a pipeline may be (GitLab: a parent, its child and the child's child).</summary>
    public const int MaxChildDepth = BridgeTrigger.MaxChildDepth;

    /// <summary>How many upstream pipelines any pipeline may have (multi-project chains; stops a loop of triggers).</summary>
    public const int MaxHierarchyDepth = 10;

    public async Task<DownstreamOutcome> CreateAsync(PipelineRecord upstream, PipelineState state, JobRecord bridge, CancellationToken cancel)
    {
        var plan = state.Plan.Job(bridge.Name)!;
        var trigger = BridgeTrigger.From(plan.Trigger!);
        var depth = await DepthAsync(upstream.Id, cancel);
        if (depth >= MaxHierarchyDepth)
        {
            return DownstreamOutcome.Failed("reached_max_pipeline_hierarchy_size");
        }

        if (trigger.IsChild && depth >= MaxChildDepth)
        {
            return DownstreamOutcome.Failed(FailureReasons.ReachedMaxDescendantPipelinesDepth);
        }

        if (trigger.IsChild && trigger.Includes.Count == 0)
        {
            return DownstreamOutcome.Failed(FailureReasons.InvalidBridgeTrigger);
        }

        var project = await stores.Projects.GetProjectAsync(upstream.ProjectId, cancel) ?? throw new InvalidOperationException($"project {upstream.ProjectId} is gone");
        var context = StateJson.ReadContext(upstream.ContextJson) with { PipelineId = upstream.Id, PipelineIid = upstream.Id };
        context = context with { Variables = [.. context.Variables.Select(v => v with { Value = secrets.Unprotect(v.Value) })] };
        // Only the upstream's own pipeline variables (as recorded at its creation) are ever forwarded: never an
        // instance, group, project or deploy token variable, which could be protected or belong to another group.
        var pipelineKeys = PipelineVariablesJson.Read(await stores.Pipelines.PipelineVariablesAsync(upstream.Id, cancel))
            .Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var passed = BridgeVariables.Of(state.Plan, plan, context, bridge.Id, trigger, pipelineKeys);
        var user = upstream.UserId is { } userId ? await stores.Identity.GetUserAsync(userId, cancel) : null;
        var pipelineUser = await users.OfAsync(user, cancel);

        var (target, input, failure) = trigger.IsChild
            ? await ChildInputAsync(project, context, state, trigger, bridge, cancel)
            : await MultiProjectInputAsync(user, trigger, cancel);
        if (failure is not null)
        {
            return DownstreamOutcome.Failed(failure);
        }

        CreatedPipeline created;
        await using (input!.Source as IAsyncDisposable)
        {
            // Linked before its first jobs are enqueued: a runner may claim one at once, and its payload reads the parent.
            var before = input.BeforeStart;
            var withUser = input with
            {
                Context = input.Context with { User = pipelineUser, Variables = [.. input.Context.Variables, .. passed] },
                BeforeStart = async id =>
                {
                    await stores.Downstream.LinkAsync(id, upstream.Id, bridge.Id, CancellationToken.None);
                    if (before is not null)
                    {
                        await before(id);
                    }
                },
            };
            created = await creator.CreateAsync(target!, withUser);
        }

        if (!created.Created)
        {
            return DownstreamOutcome.Failed(FailureReasons.DownstreamPipelineCreationFailed); // workflow:rules made none
        }

        await stores.Downstream.LinkAsync(created.Id, upstream.Id, bridge.Id, cancel); // again for a pipeline that failed to compile (never started)
        return created.Status == CiStatus.Failed && created.Diagnostics.Any(d => d.Severity == Relais.Pipelines.Diagnostics.Severity.Error)
            ? new DownstreamOutcome(created.Id, created.Status, FailureReasons.DownstreamPipelineCreationFailed)
            : new DownstreamOutcome(created.Id, created.Status, null);
    }

    /// <summary>How many pipelines are above <paramref name="pipelineId"/> (its parent, the parent's parent…).</summary>
    private async Task<int> DepthAsync(long pipelineId, CancellationToken cancel)
    {
        var depth = 0;
        for (var id = pipelineId; depth < MaxHierarchyDepth && await stores.Downstream.UpstreamOfAsync(id, cancel) is { } up; id = up.PipelineId)
        {
            depth++;
        }

        return depth;
    }

    private async Task<(ProjectRecord?, PipelineInput?, string?)> ChildInputAsync(
        ProjectRecord project, PipelineContext parent, PipelineState state, BridgeTrigger trigger, JobRecord bridge, CancellationToken cancel)
    {
        if (!repositories.Exists(project.Path))
        {
            return (null, null, FailureReasons.DownstreamPipelineCreationFailed); // no commit to read the included files from
        }

        var files = await ChildPipelineFiles.BuildAsync(trigger, bridge.Id, (job, path) => ArtifactFileAsync(state, bridge.PipelineId, job, path, cancel));
        if (files is null)
        {
            return (null, null, FailureReasons.DownstreamPipelineCreationFailed);
        }

        var git = GitRepository.Bare(repositories.PathOf(project.Path));
        var context = parent with
        {
            Source = PipelineSource.ParentPipeline,
            ConfigPath = files.EntryFile,
            Variables = [],
            PipelineId = 0,
            PipelineIid = 0,
        };
        var sha = parent.Sha;
        var source = new ChildConfigSource(new CommitFiles(git, sha), files.Overlay);
        return (project, new PipelineInput(source, context) { BeforeStart = id => GitRepositories.CreatePipelineRefAsync(git, id, sha, CancellationToken.None) }, null);
    }

    /// <summary>The text of <paramref name="path"/> in the artifacts archive of job <paramref name="jobName"/> of this pipeline; null when there is none.</summary>
    private async Task<string?> ArtifactFileAsync(PipelineState state, long pipelineId, string jobName, string path, CancellationToken cancel)
    {
        if (state.Plan.Job(jobName) is null)
        {
            return null;
        }

        var job = (await stores.Pipelines.CurrentJobsAsync(pipelineId, cancel)).FirstOrDefault(j => j.Name == jobName);
        if (job is null || await stores.Artifacts.FindArtifactAsync(job.Id, "archive", cancel) is not { } archive)
        {
            return null;
        }

        using var zip = ZipFile.OpenRead(blobs.FullPath(archive.BlobPath));
        var wanted = path.TrimStart('/');
        if (zip.GetEntry(wanted) is not { } file || file.Length > ChildPipelineFiles.MaxArtifactFileBytes)
        {
            return null;
        }

        await using var stream = file.Open();
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancel);
    }

    private async Task<(ProjectRecord?, PipelineInput?, string?)> MultiProjectInputAsync(UserRecord? user, BridgeTrigger trigger, CancellationToken cancel)
    {
        var target = await stores.Projects.FindProjectAsync(trigger.Project!.Trim('/'), cancel);
        var caller = user is null ? null : await ApiCaller.WithMembershipsAsync(user, null, stores.Members, time.GetUtcNow(), cancel);
        if (target is null || caller is null || !caller.CanSee(target))
        {
            return (null, null, FailureReasons.DownstreamBridgeProjectNotFound);
        }

        if (!caller.CanWrite(target))
        {
            return (null, null, FailureReasons.InsufficientBridgePermissions);
        }

        if (await configs.ResolveAsync(target, trigger.Branch ?? target.DefaultBranch, cancel) is not { } input)
        {
            return (null, null, FailureReasons.DownstreamPipelineCreationFailed);
        }

        return (target, input with { Context = input.Context with { Source = PipelineSource.Pipeline } }, null);
    }
}

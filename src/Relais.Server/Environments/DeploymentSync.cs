using System.Text.Json;
using Relais.Dispatch;
using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Environments;

/// <summary>
/// Brings a pipeline's environments and deployments in line with its jobs, from what is stored (so it can run again at
/// any time and after a restart): every job attempt with <c>environment:</c> has its environment (made under the
/// expanded name, <see cref="JobEnvironments"/>); every <c>action: start</c> attempt has its deployment (made
/// <c>created</c> with the pipeline's ref, sha and user, then moved as its job moves, <see cref="DeploymentStatusOf"/>,
/// with <see cref="DeploymentEffects"/>); a stop job that succeeded has stopped its environment, one that failed while
/// the environment was <c>stopping</c> has made it available again (once each, <see cref="IEnvironmentJobEffectStore"/>).
/// </summary>
#pragma warning disable CA1001 // _making lives as long as the server; nothing to release before the process ends
public sealed class DeploymentSync(AggregateStores stores, SecretBox secrets, DeploymentEffects effects, TimeProvider time)
{
    private readonly SemaphoreSlim _making = new(1, 1);
#pragma warning restore CA1001

    public async Task SyncAsync(long pipelineId, CancellationToken cancel)
    {
        if (await stores.Pipelines.GetPipelineStateAsync(pipelineId, cancel) is not { State: { } state } snapshot
            || !state.Plan.Jobs.Any(j => j.Environment is not null))
        {
            return;
        }

        var pipeline = snapshot.Row;
        var context = Context(pipeline);
        foreach (var row in (await stores.Pipelines.JobsOfPipelineAsync(pipelineId, cancel)).OrderBy(r => r.Id))
        {
            if (state.Plan.Job(row.Name) is not { Environment: not null } plan || JobEnvironments.Resolve(plan, context) is not { } resolved)
            {
                continue;
            }

            var job = state.Jobs.FirstOrDefault(j => j.Name == row.Name && j.Attempt == row.Attempt);
            if (resolved.Deploys)
            {
                await SyncDeploymentAsync(pipeline, context, plan, row, job, resolved, cancel);
            }
            else
            {
                var environment = await stores.Environments.EnsureAsync(pipeline.ProjectId, resolved.Name, resolved.Slug, resolved.Tier, time.GetUtcNow(), cancel);
                if (resolved.Action == "stop")
                {
                    await SyncStopAsync(environment, row, cancel);
                }
            }
        }
    }

    /// <summary>The pipeline's context as its jobs see it (its ids set, CI/CD variable values readable).</summary>
    internal PipelineContext Context(PipelineRecord pipeline)
    {
        var context = StateJson.ReadContext(pipeline.ContextJson) with { PipelineId = pipeline.Id, PipelineIid = pipeline.Id };
        return context with { Variables = [.. context.Variables.Select(v => v with { Value = secrets.Unprotect(v.Value) })] };
    }

    private async Task SyncDeploymentAsync(PipelineRecord pipeline, PipelineContext context, JobPlan plan, JobRecord row, JobState? job, ResolvedEnvironment resolved, CancellationToken cancel)
    {
        DeploymentRecord? deployment;
        EnvironmentRecord? environment = null;
        // One maker at a time in this process (the background pass and the hand-out check may both get here first).
        await _making.WaitAsync(cancel);
        try
        {
            deployment = await stores.Deployments.FindByJobAsync(row.Id, cancel);
            if (deployment is null)
            {
                environment = await EnsureEnvironmentAsync(pipeline.ProjectId, plan, resolved, cancel);
                deployment = await stores.Deployments.CreateAsync(
                    new NewDeployment(pipeline.ProjectId, environment.Id, row.Id, pipeline.Id, pipeline.Ref, context.IsTag, pipeline.Sha, pipeline.UserId, DeploymentStatuses.Created),
                    time.GetUtcNow(),
                    cancel);
            }
        }
        finally
        {
            _making.Release();
        }

        environment ??= await stores.Environments.GetAsync(deployment.EnvironmentId, cancel) ?? await EnsureEnvironmentAsync(pipeline.ProjectId, plan, resolved, cancel);

        var target = DeploymentStatusOf.Job(row.Status);
        if (target is null || target == deployment.Status || DeploymentStatuses.IsFinished(deployment.Status))
        {
            return;
        }

        var at = job?.FinishedAt ?? job?.StartedAt ?? time.GetUtcNow();
        if (!await stores.Deployments.UpdateStatusAsync(deployment.Id, target, at, cancel))
        {
            return;
        }

        // The URL may name variables of the job's own dotenv report (environment:url: $DYNAMIC_URL), known once it succeeded.
        var url = target == DeploymentStatuses.Success ? await UrlAsync(plan, row, context, cancel) ?? resolved.Url : resolved.Url;
        await effects.ApplyAsync(
            new DeploymentMove(deployment with { Status = target }, environment, target, at, url, resolved.AutoStopIn, context.User, Title(context.CommitMessage)),
            cancel);
    }

    /// <summary>The environment of a new deployment, with the URL, tier and Kubernetes namespace its job gives (GitLab updates them when it makes the job).</summary>
    private async Task<EnvironmentRecord> EnsureEnvironmentAsync(long projectId, JobPlan plan, ResolvedEnvironment resolved, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        var environment = await stores.Environments.EnsureAsync(projectId, resolved.Name, resolved.Slug, resolved.Tier, now, cancel);
        var updated = environment with
        {
            ExternalUrl = string.IsNullOrEmpty(resolved.Url) ? environment.ExternalUrl : resolved.Url,
            Tier = plan.Environment?.DeploymentTier is null ? environment.Tier : resolved.Tier,
            KubernetesNamespace = resolved.KubernetesNamespace ?? environment.KubernetesNamespace,
        };
        if (updated != environment)
        {
            await stores.Environments.UpdateAsync(updated, now, cancel);
        }

        return updated;
    }


    /// <summary>The URL expanded again with the job's own dotenv variables; null when it has none or the job wrote no dotenv.</summary>
    private async Task<string?> UrlAsync(JobPlan plan, JobRecord row, PipelineContext context, CancellationToken cancel)
    {
        if (plan.Environment?.Url is null || await stores.Artifacts.FindArtifactAsync(row.Id, "dotenv", cancel) is not { DotenvJson: { } json })
        {
            return null;
        }

        var pairs = JsonSerializer.Deserialize<Dictionary<string, string>>(secrets.Unprotect(json)) ?? [];
        var withDotenv = context with { Variables = [.. context.Variables, .. pairs.Select(p => new ContextVariable(p.Key, p.Value))] };
        return JobEnvironments.Resolve(plan, withDotenv)?.Url;
    }

    private async Task SyncStopAsync(EnvironmentRecord environment, JobRecord row, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        if (row.Status == CiStatus.Success && await stores.EnvironmentJobEffects.TryMarkAsync(row.Id, DeploymentStatuses.Success, cancel))
        {
            await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, now, cancel: cancel);
        }
        else if (row.Status is CiStatus.Failed or CiStatus.Canceled && await stores.EnvironmentJobEffects.TryMarkAsync(row.Id, row.Status.ToGitLab(), cancel))
        {
            // GitLab recovers an environment stuck in stopping when its stop job fails.
            await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Available, now, EnvironmentStates.Stopping, cancel);
        }
    }

    private static string Title(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}

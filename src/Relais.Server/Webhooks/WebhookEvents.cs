using System.Text.Json;
using Relais.Git;
using Relais.Protocol;
using Relais.Server.Git;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// Turns what happened into queued deliveries: builds the event's payload once and stores one delivery for each
/// hook of the project that listens to it (<see cref="IWebhookStore.EnqueueAsync"/>), then wakes the
/// <see cref="WebhookSender"/>. Pipeline and job status changes come from <see cref="WebhookPipelineHooks"/> (after the
/// driver stored them), pushes from <see cref="PushPipelines"/>, deployments from <see cref="DeploymentAsync"/>.
/// </summary>
public sealed class WebhookEvents
{
    private readonly IWebhookStore _hooks;
    private readonly IPipelineStore _pipelines;
    private readonly IProjectStore _projects;
    private readonly IRunnerStore _runners;
    private readonly WebhookSender _sender;
    private readonly CloneUrls _urls;
    private readonly TimeProvider _time;

    internal WebhookEvents(IWebhookStore hooks, IPipelineStore pipelines, IProjectStore projects, IRunnerStore runners, WebhookSender sender, CloneUrls urls, TimeProvider time)
    {
        (_hooks, _pipelines, _projects, _runners, _sender, _urls, _time) = (hooks, pipelines, projects, runners, sender, urls, time);
    }

    /// <summary>The project URLs payloads show.</summary>
    internal CloneUrls Urls => _urls;

    /// <summary>A pipeline's status became <paramref name="status"/>: a <c>Pipeline Hook</c> to hooks with <c>pipeline_events</c>.</summary>
    public async Task PipelineChangedAsync(long pipelineId, CiStatus status, CancellationToken cancel = default)
    {
        if (await ListensAsync(pipelineId, WebhookTriggers.Pipeline, cancel) && await PipelinePayloadAsync(pipelineId, status, cancel) is { } built)
        {
            await EnqueueAsync(built.Project, WebhookTriggers.Pipeline, built.Payload, null, cancel);
        }
    }

    /// <summary>A job attempt's status became <paramref name="status"/>: a <c>Job Hook</c> to hooks with <c>job_events</c>.</summary>
    public async Task JobChangedAsync(long pipelineId, string job, int attempt, CiStatus status, CancellationToken cancel = default)
    {
        if (await ListensAsync(pipelineId, WebhookTriggers.Job, cancel) && await JobPayloadAsync(pipelineId, job, attempt, status, cancel) is { } built)
        {
            await EnqueueAsync(built.Project, WebhookTriggers.Job, built.Payload, null, cancel);
        }
    }

    /// <summary>
    /// A deployment's status changed (issue #16 calls this): a <c>Deployment Hook</c> to hooks with <c>deployment_events</c>,
    /// in GitLab's shape (<c>object_kind: deployment</c>, <c>status</c>, <c>deployment_id</c>, <c>deployable_id</c>,
    /// <c>environment</c>, <c>project</c>, <c>ref</c>, <c>commit_url</c>, <c>user</c>…).
    /// </summary>
    public async Task DeploymentAsync(DeploymentEvent deployment, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (await _projects.GetProjectAsync(deployment.ProjectId, cancel) is { } project)
        {
            await EnqueueAsync(project, WebhookTriggers.Deployment, DeploymentHookPayload.Build(deployment, project, _urls), null, cancel);
        }
    }

    /// <summary>A push moved refs: one <c>Push Hook</c> or <c>Tag Push Hook</c> per branch or tag updated.</summary>
    internal async Task PushedAsync(
        ProjectRecord project, GitRepository git, IReadOnlyList<RefUpdate> updates, Relais.Pipelines.Context.PipelineUser? user, PushOptions options, CancellationToken cancel = default)
    {
        var hooks = await _hooks.ListAsync(project.Id, cancel);
        if (!hooks.Any(h => h.Listens(WebhookTriggers.Push) || h.Listens(WebhookTriggers.TagPush)))
        {
            return;
        }

        foreach (var update in updates.Where(u => u.IsBranch || u.IsTag))
        {
            var current = await git.ResolveAsync(update.Ref, cancel);
            if (current != (update.IsDelete ? null : update.NewSha))
            {
                continue; // git did not apply it
            }

            var refProtected = await ProtectedRefs.IsProtectedAsync(_projects, project, update.ShortName, update.IsTag, cancel);
            var payload = await PushHookPayload.BuildAsync(git, project, update, user, refProtected, _urls, cancel, options);
            await EnqueueAsync(project, update.IsTag ? WebhookTriggers.TagPush : WebhookTriggers.Push, payload, update.IsBranch ? update.ShortName : null, cancel);
        }
    }

    /// <summary>The payload of a pipeline's current state, for a test or an event; null when it is gone.</summary>
    internal async Task<(ProjectRecord Project, Dictionary<string, object?> Payload)?> PipelinePayloadAsync(long pipelineId, CiStatus? status, CancellationToken cancel)
    {
        if (await _pipelines.GetPipelineStateAsync(pipelineId, cancel) is not { } snapshot || await _projects.GetProjectAsync(snapshot.Row.ProjectId, cancel) is not { } project)
        {
            return null;
        }

        var jobs = await _pipelines.JobsOfPipelineAsync(pipelineId, cancel);
        var runners = await _runners.ListRunnersAsync(cancel);
        return (project, PipelineHookPayload.Build(snapshot, status ?? snapshot.Row.Status, project, jobs, runners, _urls));
    }

    /// <summary>The payload of a job attempt, for a test or an event; null when it is gone.</summary>
    internal async Task<(ProjectRecord Project, Dictionary<string, object?> Payload)?> JobPayloadAsync(long pipelineId, string job, int attempt, CiStatus? status, CancellationToken cancel)
    {
        if (await _pipelines.GetPipelineStateAsync(pipelineId, cancel) is not { } snapshot
            || await _projects.GetProjectAsync(snapshot.Row.ProjectId, cancel) is not { } project
            || (await _pipelines.JobsOfPipelineAsync(pipelineId, cancel)).FirstOrDefault(j => j.Name == job && j.Attempt == attempt) is not { } row)
        {
            return null;
        }

        var runners = await _runners.ListRunnersAsync(cancel);
        return (project, JobHookPayload.Build(snapshot, row, status ?? row.Status, project, runners, _urls));
    }

    /// <summary>Whether any hook of the pipeline's project listens to <paramref name="trigger"/> (most do not: then no payload is built).</summary>
    private async Task<bool> ListensAsync(long pipelineId, string trigger, CancellationToken cancel) =>
        await _pipelines.GetPipelineAsync(pipelineId, cancel) is { } pipeline
        && (await _hooks.ListAsync(pipeline.ProjectId, cancel)).Any(h => h.Listens(trigger));

    /// <summary>Stores a delivery of <paramref name="payload"/> for every hook of the project listening to <paramref name="trigger"/>.</summary>
    private async Task EnqueueAsync(ProjectRecord project, string trigger, Dictionary<string, object?> payload, string? branch, CancellationToken cancel)
    {
        var listening = (await _hooks.ListAsync(project.Id, cancel))
            .Where(h => h.Listens(trigger) && (branch is null || WebhookBranchFilter.Matches(h.PushEventsBranchFilter, branch)))
            .ToList();
        if (listening.Count == 0)
        {
            return;
        }

        var body = JsonSerializer.Serialize(payload);
        var now = _time.GetUtcNow();
        foreach (var hook in listening)
        {
            await _hooks.EnqueueAsync(Delivery(hook, trigger, body), now, CancellationToken.None);
        }

        _sender.Wake();
    }

    /// <summary>A new delivery of <paramref name="body"/> to <paramref name="hook"/>, with a fresh event UUID.</summary>
    internal static WebhookDeliveryRecord Delivery(WebhookRecord hook, string trigger, string body, string state = WebhookDeliveryStates.Pending) => new()
    {
        HookId = hook.Id,
        ProjectId = hook.ProjectId,
        Event = WebhookTriggers.EventHeader(trigger),
        HookTrigger = trigger,
        Uuid = Guid.NewGuid().ToString(),
        Payload = body,
        State = state,
    };
}

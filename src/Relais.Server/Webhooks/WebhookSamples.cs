using Relais.Git;
using Relais.Server.Api;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// The payloads <c>POST /projects/:id/hooks/:hook_id/test/:trigger</c> sends, from the project's own data as GitLab
/// does: the latest pipeline, the latest job, the default branch's last commit, the newest tag. Null with GitLab's
/// message when the project has none.
/// </summary>
internal sealed class WebhookSamples(IPipelineStore pipelines, WebhookEvents events, ProjectRepository repositories)
{
    public async Task<(Dictionary<string, object?>? Payload, string? Missing)> BuildAsync(ProjectRecord project, string trigger, CancellationToken cancel)
    {
        switch (trigger)
        {
            case WebhookTriggers.Pipeline:
                var latest = (await pipelines.ListPipelinesAsync(project.Id, new ListQuery([], 0, 1), cancel)).Items;
                return latest is [var p] && await events.PipelinePayloadAsync(p.Id, null, cancel) is { } pipeline
                    ? (pipeline.Payload, null) : (null, "Ensure the project has CI pipelines.");
            case WebhookTriggers.Job:
                var jobs = (await pipelines.ListProjectJobsAsync(project.Id, new ListQuery([], 0, 1), cancel)).Items;
                return jobs is [var j] && await events.JobPayloadAsync(j.PipelineId, j.Name, j.Attempt, null, cancel) is { } job
                    ? (job.Payload, null) : (null, "Ensure the project has CI jobs.");
            default:
                return await PushAsync(project, trigger == WebhookTriggers.TagPush, cancel);
        }
    }

    private async Task<(Dictionary<string, object?>? Payload, string? Missing)> PushAsync(ProjectRecord project, bool tag, CancellationToken cancel)
    {
        var missing = tag ? "Ensure the project has tags." : "Ensure the project has at least one commit.";
        if (repositories.Open(project) is not { } git)
        {
            return (null, missing);
        }

        var refName = tag
            ? (await git.RunAsync(["for-each-ref", "--count=1", "--sort=-creatordate", "--format=%(refname)", RepositoryRefs.Tags], cancel)).FirstLine
            : RepositoryRefs.Branches + project.DefaultBranch;
        if (refName is null || await git.ResolveCommitAsync(refName, cancel) is not { } sha)
        {
            return (null, missing);
        }

        var parent = await git.ResolveCommitAsync(sha + "^", cancel) ?? GitRepositories.ZeroSha;
        var update = new RefUpdate(tag ? GitRepositories.ZeroSha : parent, sha, refName);
        return (await PushHookPayload.BuildAsync(git, project, update, null, false, events.Urls, cancel), null);
    }
}

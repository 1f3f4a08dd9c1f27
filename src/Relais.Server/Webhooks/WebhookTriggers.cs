namespace Relais.Server.Webhooks;

/// <summary>GitLab's webhook trigger names (the hook's <c>*_events</c> flags) and their <c>X-Gitlab-Event</c> headers.</summary>
public static class WebhookTriggers
{
    public const string Push = "push_events";
    public const string TagPush = "tag_push_events";
    public const string Pipeline = "pipeline_events";
    public const string Job = "job_events";
    public const string Deployment = "deployment_events";
    public const string Releases = "releases_events";

    /// <summary>Every trigger a hook can listen to here, in the order the API shows them.</summary>
    public static readonly IReadOnlyList<string> All = [Push, TagPush, Pipeline, Job, Deployment, Releases];

    /// <summary>The triggers <c>POST /projects/:id/hooks/:hook_id/test/:trigger</c> can send here.</summary>
    public static readonly IReadOnlyList<string> Testable = [Push, TagPush, Pipeline, Job];

    public static string EventHeader(string trigger) => trigger switch
    {
        Push => "Push Hook",
        TagPush => "Tag Push Hook",
        Pipeline => "Pipeline Hook",
        Job => "Job Hook",
        Deployment => "Deployment Hook",
        Releases => "Release Hook",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "not a webhook trigger"),
    };
}

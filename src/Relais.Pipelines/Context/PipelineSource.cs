namespace Relais.Pipelines.Context;

/// <summary>What started a pipeline; the value of <c>CI_PIPELINE_SOURCE</c>.</summary>
public enum PipelineSource
{
    Push,
    Web,
    Api,
    Schedule,
    Trigger,
    Pipeline,
    ParentPipeline,
    MergeRequestEvent,
    ExternalPullRequestEvent,
    Chat,
    WebIde,
    External,
}

public static class PipelineSourceNames
{
    private static readonly (PipelineSource Source, string Name)[] Names =
    [
        (PipelineSource.Push, "push"),
        (PipelineSource.Web, "web"),
        (PipelineSource.Api, "api"),
        (PipelineSource.Schedule, "schedule"),
        (PipelineSource.Trigger, "trigger"),
        (PipelineSource.Pipeline, "pipeline"),
        (PipelineSource.ParentPipeline, "parent_pipeline"),
        (PipelineSource.MergeRequestEvent, "merge_request_event"),
        (PipelineSource.ExternalPullRequestEvent, "external_pull_request_event"),
        (PipelineSource.Chat, "chat"),
        (PipelineSource.WebIde, "webide"),
        (PipelineSource.External, "external"),
    ];

    public static string ToName(this PipelineSource source) => Names.First(n => n.Source == source).Name;

    public static bool TryParse(string name, out PipelineSource source)
    {
        foreach (var (s, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                source = s;
                return true;
            }
        }

        source = default;
        return false;
    }

    public static IEnumerable<string> All => Names.Select(n => n.Name);
}

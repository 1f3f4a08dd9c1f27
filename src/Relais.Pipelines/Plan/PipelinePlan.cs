using System.Collections.Immutable;

namespace Relais.Pipelines.Plan;

/// <summary>
/// The compiled pipeline: what the server, <c>relais run</c>, the engine and the UI all consume. Only
/// the compiler understands YAML; everything downstream reads this.
/// </summary>
/// <param name="Stages">Stage names in order, including <c>.pre</c> and <c>.post</c>.</param>
/// <param name="Jobs">Jobs that run in this pipeline (excluded jobs are absent), parallel ones expanded,
/// in stage order and, within a stage, in the order they were written.</param>
/// <param name="Variables">Top-level YAML variables in effect (after <c>workflow:rules:variables</c>).</param>
/// <param name="Name">The pipeline's name from <c>workflow:name</c> (variables expanded), if any.</param>
/// <param name="AutoCancel">The <c>workflow:auto_cancel</c> settings in effect.</param>
public sealed record PipelinePlan(
    ImmutableArray<string> Stages,
    ImmutableArray<JobPlan> Jobs,
    ImmutableArray<PlanVariable> Variables,
    string? Name,
    AutoCancelPlan AutoCancel)
{
    private Dictionary<string, JobPlan>? _byName;

    public JobPlan? Job(string name)
    {
        _byName ??= Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    public int StageIndex(string stage) => Stages.IndexOf(stage);
}

/// <summary><c>workflow:auto_cancel</c>: <c>on_new_commit</c> (conservative, interruptible, none) and <c>on_job_failure</c> (all, none).</summary>
public sealed record AutoCancelPlan(string OnNewCommit = "conservative", string OnJobFailure = "none");

/// <summary>A YAML variable. <paramref name="Raw"/> is <c>expand: false</c>: the value is never expanded.</summary>
public sealed record PlanVariable(string Key, string Value, bool Raw = false, string? Description = null);

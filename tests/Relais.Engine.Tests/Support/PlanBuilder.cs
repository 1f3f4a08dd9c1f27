using System.Collections.Immutable;
using Relais.Pipelines.Plan;

namespace Relais.Engine.Tests.Support;

/// <summary>Builds <see cref="PipelinePlan"/>s by hand, the way the compiler would hand them to the engine.</summary>
public sealed class PlanBuilder
{
    private static readonly string[] DefaultStages = [".pre", "build", "test", "deploy", ".post"];
    private readonly List<JobPlan> _jobs = [];
    private readonly List<string> _stages = [];
    private AutoCancelPlan _autoCancel = new();

    public PlanBuilder Job(string name, string stage = "test", Func<JobPlan, JobPlan>? configure = null)
    {
        var job = new JobPlan { Name = name, BaseName = name, Stage = stage, Script = ["true"] };
        _jobs.Add(configure is null ? job : configure(job));
        return this;
    }

    public PlanBuilder Stages(params string[] stages)
    {
        _stages.AddRange(stages);
        return this;
    }

    public PlanBuilder AutoCancel(string onNewCommit = "conservative", string onJobFailure = "none")
    {
        _autoCancel = new AutoCancelPlan(onNewCommit, onJobFailure);
        return this;
    }

    public PipelinePlan Build()
    {
        var stages = _stages.Count > 0 ? [.. _stages] : StagesInUse();
        return new PipelinePlan([.. stages], [.. _jobs], [], null, _autoCancel);
    }

    // GitLab's default stages first, then any other stage in the order jobs use it (before .post).
    private List<string> StagesInUse()
    {
        var stages = DefaultStages.ToList();
        foreach (var stage in _jobs.Select(j => j.Stage).Where(s => !stages.Contains(s)).Distinct())
        {
            stages.Insert(stages.Count - 1, stage);
        }

        return stages;
    }

    /// <summary>Needs as the compiler writes them: <c>a</c> or <c>a?</c> (optional).</summary>
    public static ImmutableArray<NeedPlan> Needs(params string[] names) =>
        [.. names.Select(n => n.EndsWith('?') ? new NeedPlan(n[..^1], Optional: true) : new NeedPlan(n))];
}

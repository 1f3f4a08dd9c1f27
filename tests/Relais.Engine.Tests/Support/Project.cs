namespace Relais.Engine.Tests.Support;

/// <summary>
/// Several pipelines of one project sharing resource groups: the routing a real driver does, in a few lines.
/// Each pipeline's resource effects go to the group's machine; each grant goes back to its pipeline.
/// </summary>
public sealed class Project
{
    private readonly Dictionary<long, PipelineRun> _runs = [];
    private readonly Dictionary<string, ResourceGroupState> _groups = new(StringComparer.Ordinal);
    private readonly ResourceProcessMode _mode;

    public Project(ResourceProcessMode mode = ResourceProcessMode.Unordered) => _mode = mode;

    public FakeClock Clock { get; } = new();

    /// <summary>Every grant, as <c>pipeline:job</c>, in order.</summary>
    public List<string> Grants { get; } = [];

    public ResourceGroupState Group(string key) => _groups[key];

    public PipelineRun Create(long id, string plan)
    {
        var run = new PipelineRun(PlanDsl.Parse(plan), id, Clock);
        _runs[id] = run;
        run.Observer = Route;
        Route(run, run.LastStep);
        return run;
    }

    private void Route(PipelineRun run, EngineStep step)
    {
        foreach (var effect in step.EffectsOf<ResourceEffect>())
        {
            var group = _groups.GetValueOrDefault(effect.Group) ?? new ResourceGroupState { Key = effect.Group, Mode = _mode };
            var result = ResourceGroupMachine.Apply(group, ResourceGroupEvent.From(run.State.Id, effect));
            _groups[effect.Group] = result.State;
            foreach (var granted in result.Granted)
            {
                Grants.Add($"{granted.PipelineId}:{granted.Job}");
                _runs[granted.PipelineId].Apply(at => new ResourceGranted(at, granted.Job, granted.Attempt));
            }
        }
    }
}

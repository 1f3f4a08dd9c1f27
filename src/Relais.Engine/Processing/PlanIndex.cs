using System.Collections.Immutable;
using Relais.Pipelines.Plan;

namespace Relais.Engine;

/// <summary>
/// What the engine needs to know about a plan, looked up fast: each job's stage position, its <c>needs</c>
/// (only those naming jobs of this pipeline: an absent optional need is simply not waited for), the order in
/// which to process jobs (stage by stage, and within a stage needs first), and who depends on whom.
/// </summary>
internal sealed class PlanIndex
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PipelinePlan, PlanIndex> Built = [];

    private readonly Dictionary<string, JobPlan> _jobs;
    private readonly Dictionary<string, int> _stageOf;
    private readonly Dictionary<string, int> _planOrder;
    private readonly Dictionary<string, ImmutableArray<string>> _needs;

    public PlanIndex(PipelinePlan plan)
    {
        _jobs = new(StringComparer.Ordinal);
        _stageOf = new(StringComparer.Ordinal);
        _planOrder = new(StringComparer.Ordinal);
        foreach (var job in plan.Jobs)
        {
            _jobs[job.Name] = job;
            _planOrder[job.Name] = _planOrder.Count;
            var stage = plan.StageIndex(job.Stage);
            _stageOf[job.Name] = stage < 0 ? plan.Stages.Length : stage;
        }

        _needs = new(StringComparer.Ordinal);
        foreach (var job in plan.Jobs)
        {
            if (job.Needs is { } needs)
            {
                _needs[job.Name] = [.. needs.Select(n => n.Job).Where(_jobs.ContainsKey).Distinct(StringComparer.Ordinal)];
            }
        }

        ProcessingOrder = Order(plan);
    }

    /// <summary>
    /// The index of <paramref name="plan"/>, built once per plan object and kept as long as the plan lives. A plan
    /// never changes and the index is read-only, so every event of a pipeline can share it (building it costs
    /// O(jobs), which on a large pipeline was most of an event's work).
    /// </summary>
    public static PlanIndex For(PipelinePlan plan) => Built.GetValue(plan, p => new PlanIndex(p));

    /// <summary>Job names in the order a processing pass visits them.</summary>
    public ImmutableArray<string> ProcessingOrder { get; }

    public JobPlan Job(string name) => _jobs[name];

    public bool Contains(string name) => _jobs.ContainsKey(name);

    public int StageOf(string name) => _stageOf[name];

    public int PlanOrder(string name) => _planOrder[name];

    /// <summary>True when the job has <c>needs</c> (even <c>needs: []</c>): it follows the graph, not the stages.</summary>
    public bool IsDag(string name) => _needs.ContainsKey(name);

    public ImmutableArray<string> NeedsOf(string name) => _needs.TryGetValue(name, out var needs) ? needs : [];

    /// <summary>Every job that needs <paramref name="name"/>, directly or through other needs.</summary>
    public HashSet<string> DagDescendants(string name)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([name]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var (job, needs) in _needs)
            {
                if (needs.Contains(current, StringComparer.Ordinal) && found.Add(job))
                {
                    queue.Enqueue(job);
                }
            }
        }

        return found;
    }

    // Stage by stage; within a stage a job comes after the jobs it needs, otherwise plan order.
    private ImmutableArray<string> Order(PipelinePlan plan)
    {
        var result = new List<string>(plan.Jobs.Length);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in plan.Jobs.GroupBy(j => _stageOf[j.Name]).OrderBy(g => g.Key))
        {
            var remaining = stage.Select(j => j.Name).ToList();
            while (remaining.Count > 0)
            {
                var next = remaining.FirstOrDefault(n => NeedsOf(n).All(d => placed.Contains(d) || !remaining.Contains(d)))
                    ?? remaining[0]; // a cycle (the compiler rejects those): fall back to plan order
                remaining.Remove(next);
                placed.Add(next);
                result.Add(next);
            }
        }

        return [.. result];
    }
}

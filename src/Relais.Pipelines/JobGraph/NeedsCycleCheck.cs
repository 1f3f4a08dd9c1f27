using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;

namespace Relais.Pipelines.JobGraph;

/// <summary>Finds cycles in the <c>needs</c> graph (possible among jobs of the same stage) and reports each once.</summary>
internal sealed class NeedsCycleCheck(IReadOnlyList<JobPlan> jobs, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, JobPlan> _byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, int> _state = new(StringComparer.Ordinal);

    public void Run()
    {
        foreach (var job in jobs)
        {
            Visit(job, []);
        }
    }

    private void Visit(JobPlan job, List<string> path)
    {
        var state = _state.GetValueOrDefault(job.Name);
        if (state == 2)
        {
            return;
        }

        if (state == 1)
        {
            var cycle = path.Skip(path.IndexOf(job.Name)).Append(job.Name);
            diagnostics.Error("needs-cycle", job.Location, $"jobs:{job.BaseName}:needs: circular needs: {string.Join(" → ", cycle)}");
            return;
        }

        _state[job.Name] = 1;
        path.Add(job.Name);
        foreach (var need in job.Needs ?? [])
        {
            if (_byName.TryGetValue(need.Job, out var next))
            {
                Visit(next, path);
            }
        }

        path.RemoveAt(path.Count - 1);
        _state[job.Name] = 2;
    }
}

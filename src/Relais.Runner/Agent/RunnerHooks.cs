using Relais.Protocol.Jobs;

namespace Relais.Runner.Agent;

/// <summary>
/// Applies a runner entry's own scripts to a job payload, where gitlab-runner puts them: <c>pre_get_sources_script</c>
/// before the job's <c>hooks:pre_get_sources_script</c>, <c>pre_build_script</c> and <c>post_build_script</c> around the
/// user script, in the same shell (so <c>post_build_script</c> does not run when the script fails).
/// </summary>
public static class RunnerHooks
{
    /// <summary>The payload with <paramref name="entry"/>'s scripts added; the same instance when there are none.</summary>
    public static JobResponse Apply(JobResponse job, RunnerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.PreGetSourcesScript.Count == 0 && entry.PreBuildScript.Count == 0 && entry.PostBuildScript.Count == 0)
        {
            return job;
        }

        var steps = job.Steps
            .Select(s => s.Name == StepNames.Script ? s with { Script = [.. entry.PreBuildScript, .. s.Script, .. entry.PostBuildScript] } : s)
            .ToList();
        var hooks = job.Hooks.ToList();
        if (entry.PreGetSourcesScript.Count > 0)
        {
            var index = hooks.FindIndex(h => h.Name == StepNames.PreGetSourcesScript);
            var own = index >= 0 ? hooks[index].Script : [];
            var hook = new JobHook { Name = StepNames.PreGetSourcesScript, Script = [.. entry.PreGetSourcesScript, .. own] };
            if (index >= 0)
            {
                hooks[index] = hook;
            }
            else
            {
                hooks.Add(hook);
            }
        }

        return job with { Steps = steps, Hooks = hooks };
    }
}

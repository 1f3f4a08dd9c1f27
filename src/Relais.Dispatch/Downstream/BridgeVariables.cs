using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;

namespace Relais.Dispatch.Downstream;

/// <summary>
/// The variables a bridge job passes to its downstream pipeline, as GitLab does: its YAML variables (global and the
/// job's), expanded in the upstream pipeline (so <c>PARENT_PIPELINE_ID: $CI_PIPELINE_ID</c> carries the number) unless
/// <c>trigger:forward:yaml_variables</c> is false, and the upstream's pipeline variables (API, trigger, schedule, manual
/// run) only with <c>trigger:forward:pipeline_variables: true</c>. They become pipeline variables downstream.
/// </summary>
public static class BridgeVariables
{
    /// <param name="pipelineVariableKeys">Which of the upstream context's variables are pipeline variables (not project or instance ones).</param>
    public static IReadOnlyList<ContextVariable> Of(PipelinePlan plan, JobPlan bridge, PipelineContext upstream, long bridgeJobId, BridgeTrigger trigger, ISet<string> pipelineVariableKeys)
    {
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(pipelineVariableKeys);
        var passed = new List<ContextVariable>();
        if (trigger.ForwardPipelineVariables)
        {
            passed.AddRange(upstream.Variables.Where(v => pipelineVariableKeys.Contains(v.Key)));
        }

        if (trigger.ForwardYamlVariables && bridge.Variables.Length > 0)
        {
            var expanded = JobPayloadBuilder.Build(new JobDispatch
            {
                Plan = plan,
                Job = bridge,
                Context = upstream,
                JobId = bridgeJobId,
                JobToken = "",
                RepoUrl = "",
            }).Variables;
            foreach (var key in bridge.Variables.Select(v => v.Key).Distinct(StringComparer.Ordinal))
            {
                if (expanded.LastOrDefault(v => v.Key == key) is { } value)
                {
                    passed.Add(new ContextVariable(key, value.Value, Raw: value.Raw));
                }
            }
        }

        return passed;
    }
}

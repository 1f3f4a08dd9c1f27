using Relais.Pipelines.Compilation;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Evaluate;

/// <summary>The outcome of <c>workflow:rules</c>: whether the pipeline exists, and the matching rule's extras.</summary>
internal sealed record WorkflowOutcome(WorkflowDecision Decision, YamlMapping? Variables, YamlMapping? AutoCancel);

/// <summary>
/// <c>workflow:rules</c>: the first matching rule decides; <c>when: never</c> or no match creates no
/// pipeline. Without <c>workflow:rules</c> every pipeline is created.
/// </summary>
internal sealed class WorkflowEvaluator(RuleClauses clauses)
{
    public WorkflowOutcome Evaluate(YamlMapping? workflow, VariableScope scope)
    {
        if (workflow?["rules"] is not YamlSequence rules)
        {
            return new WorkflowOutcome(new WorkflowDecision(true, "no workflow:rules", SourceLocation.None), null, null);
        }

        var steps = new List<string>();
        for (var i = 0; i < rules.Items.Length; i++)
        {
            if (rules.Items[i] is not YamlMapping rule || !clauses.Matches(rule, $"workflow:rules[{i}]", scope, steps))
            {
                continue;
            }

            var detail = steps.Count > 0 ? ": " + steps[^1] : "";
            if (rule["when"].Text() == "never")
            {
                return new WorkflowOutcome(new WorkflowDecision(false, $"workflow:rules[{i}] matched with `when: never`{detail}", rule.Location), null, null);
            }

            return new WorkflowOutcome(
                new WorkflowDecision(true, $"workflow:rules[{i}] matched{detail}", rule.Location),
                rule["variables"].Map(),
                rule["auto_cancel"].Map());
        }

        return new WorkflowOutcome(new WorkflowDecision(false, $"none of the {rules.Items.Length} workflow:rules matched", rules.Location), null, null);
    }

    public static AutoCancelPlan AutoCancel(YamlMapping? workflow, YamlMapping? fromRule)
    {
        var baseline = workflow?["auto_cancel"].Map();
        return new AutoCancelPlan(
            fromRule?["on_new_commit"].Text() ?? baseline?["on_new_commit"].Text() ?? "conservative",
            fromRule?["on_job_failure"].Text() ?? baseline?["on_job_failure"].Text() ?? "none");
    }
}

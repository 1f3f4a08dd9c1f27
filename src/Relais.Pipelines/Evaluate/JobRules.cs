using Relais.Pipelines.Compilation;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Evaluate;

/// <summary>
/// <c>rules</c>: evaluated in order, the first rule whose clauses all hold decides. Its <c>when</c>
/// (default: the job's <c>when</c>, else <c>on_success</c>) of <c>never</c> excludes the job; no matching
/// rule excludes it too.
/// </summary>
internal sealed class JobRules(RuleClauses clauses)
{
    public Inclusion Evaluate(string job, YamlSequence rules, YamlMapping definition, VariableScope scope)
    {
        var steps = new List<string>();
        for (var i = 0; i < rules.Items.Length; i++)
        {
            if (rules.Items[i] is not YamlMapping rule)
            {
                continue;
            }

            var path = $"jobs:{job}:rules[{i}]";
            var before = steps.Count;
            var matched = clauses.Matches(rule, path, scope, steps);
            for (var s = before; s < steps.Count; s++)
            {
                steps[s] = $"rules[{i}]: {steps[s]}";
            }

            if (!matched)
            {
                continue;
            }

            var when = rule["when"].Text() ?? definition["when"].Text() ?? "on_success";
            if (when == "never")
            {
                return new Inclusion(false, $"rules[{i}] matched with `when: never`", [.. steps], rule.Location);
            }

            return new Inclusion(true, $"rules[{i}] matched (when: {when})", [.. steps], rule.Location)
            {
                When = when,
                StartIn = rule["start_in"] ?? definition["start_in"],
                AllowFailure = rule["allow_failure"],
                Needs = rule["needs"],
                Variables = rule["variables"].Map(),
                Interruptible = rule["interruptible"].Bool(),
                FromRules = true,
            };
        }

        var none = rules.Items.Length == 0 ? "`rules` is empty" : $"none of its {rules.Items.Length} rules matched";
        return new Inclusion(false, none, [.. steps], rules.Location);
    }
}

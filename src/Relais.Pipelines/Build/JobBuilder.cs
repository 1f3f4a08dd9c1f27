using System.Collections.Immutable;
using Relais.Pipelines.Evaluate;
using Relais.Pipelines.Expand;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Build;

/// <summary>Builds the plan of one job (after merge and evaluation) from its YAML and the rule that included it.</summary>
internal static class JobBuilder
{
    private static readonly string[] ExtraKeys =
        ["release", "secrets", "id_tokens", "pages", "run", "identity", "dast_configuration", "inputs", "manual_confirmation"];

    public static JobDraft Build(
        string name,
        YamlMapping job,
        SourceLocation location,
        Inclusion inclusion,
        ImmutableArray<PlanVariable> variables,
        ParallelInstance instance)
    {
        var when = ParseWhen(inclusion.When ?? job["when"].Text());
        var (allowFailure, exitCodes) = AllowFailure(job, inclusion, when);
        ImmutableDictionary<string, WrittenValue>.Builder? extras = null;
        foreach (var key in ExtraKeys)
        {
            if (job[key] is { } value && !value.IsNullOrAbsent())
            {
                (extras ??= ImmutableDictionary.CreateBuilder<string, WrittenValue>(StringComparer.Ordinal))[key] = JobParts.Written(value);
            }
        }

        var plan = new JobPlan
        {
            Name = instance.Name,
            BaseName = name,
            Stage = job["stage"].Text() ?? "test",
            When = when,
            StartIn = when == JobWhen.Delayed ? Durations.Parse((inclusion.StartIn ?? job["start_in"]).Text()) : null,
            AllowFailure = allowFailure,
            AllowFailureExitCodes = exitCodes,
            BeforeScript = job["before_script"].Strings(),
            Script = job["script"].Strings(),
            AfterScript = job["after_script"].Strings(),
            Image = ImageParts.Image(job["image"]),
            Services = ImageParts.Services(job["services"]),
            Variables = variables,
            Cache = JobParts.Cache(job["cache"]),
            Artifacts = JobParts.Artifacts(job["artifacts"]),
            Environment = JobParts.Environment(job["environment"]),
            ResourceGroup = job["resource_group"].Text(),
            Interruptible = inclusion.Interruptible ?? job["interruptible"].Bool() ?? false,
            Retry = JobParts.Retry(job["retry"]),
            Timeout = Durations.Parse(job["timeout"].Text()),
            Tags = job["tags"].Strings(),
            Coverage = job["coverage"].Text(),
            Trigger = JobParts.Trigger(job["trigger"]),
            PreGetSourcesScript = job["hooks"].Map()?["pre_get_sources_script"].Strings() ?? [],
            Parallel = instance.Parallel,
            Extras = extras?.ToImmutable() ?? ImmutableDictionary<string, WrittenValue>.Empty,
            Location = location,
        };
        var needs = inclusion.Needs ?? job["needs"];
        return new JobDraft(plan, needs.IsNullOrAbsent() && needs is not YamlSequence ? null : needs, job["dependencies"], needs?.Location ?? location);
    }

    public static JobWhen ParseWhen(string? when) => when switch
    {
        "on_failure" => JobWhen.OnFailure,
        "always" => JobWhen.Always,
        "manual" => JobWhen.Manual,
        "delayed" => JobWhen.Delayed,
        _ => JobWhen.OnSuccess,
    };

    /// <summary>
    /// A rule's <c>allow_failure</c> wins over the job's; without either, a manual job written as
    /// <c>when: manual</c> on the job may fail, one made manual by <c>rules</c> may not.
    /// </summary>
    private static (bool Allowed, ImmutableArray<int> ExitCodes) AllowFailure(YamlMapping job, Inclusion inclusion, JobWhen when)
    {
        var node = inclusion.AllowFailure ?? job["allow_failure"];
        if (node is YamlMapping m)
        {
            return (false, m["exit_codes"].Ints());
        }

        if (node.Bool() is { } explicitValue)
        {
            return (explicitValue, []);
        }

        var manualByJob = when == JobWhen.Manual && (!inclusion.FromRules || (inclusion.When == "manual" && job["when"].Text() == "manual"));
        return (manualByJob, []);
    }
}

using System.Globalization;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Variables;

namespace Relais.Dispatch;

/// <summary>A job's environment as GitLab persists it when it makes the job: its name expanded, slugged and tiered.</summary>
/// <param name="Name">The expanded <c>environment:name</c> (<c>review/feature-x</c>).</param>
/// <param name="Slug">GitLab's slug of it (<see cref="EnvironmentSlug"/>).</param>
/// <param name="Url">The expanded <c>environment:url</c>, if any (a deploy job's dotenv can still set it later).</param>
/// <param name="Action"><c>start</c>, <c>prepare</c>, <c>verify</c>, <c>access</c> or <c>stop</c>.</param>
/// <param name="Tier"><c>deployment_tier</c>, or the tier guessed from the name.</param>
/// <param name="OnStop">The job that stops it (<c>on_stop</c>), if any.</param>
/// <param name="AutoStopIn"><c>auto_stop_in</c> as written (<c>1 day</c>, <c>never</c>), if any.</param>
/// <param name="KubernetesNamespace">The expanded <c>environment:kubernetes:namespace</c>, if any.</param>
public sealed record ResolvedEnvironment(
    string Name, string Slug, string? Url, string Action, string Tier, string? OnStop, string? AutoStopIn, string? KubernetesNamespace)
{
    /// <summary>Whether the job deploys (GitLab makes a deployment for <c>start</c> only).</summary>
    public bool Deploys => Action == "start";
}

/// <summary>
/// Resolves a job's <c>environment:</c> the way GitLab does when it makes the job: variables in the name, URL and
/// namespace are expanded against the pipeline's predefined variables, the job's name, stage and node, its YAML
/// variables and the CI/CD variables not scoped to an environment (not the dotenv of other jobs, nor variables given
/// when playing it). The server records the environment under this name and the job gets the same one as
/// <c>CI_ENVIRONMENT_NAME</c>.
/// </summary>
public static class JobEnvironments
{
    public static ResolvedEnvironment? Resolve(JobPlan job, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        if (job.Environment is not { } env)
        {
            return null;
        }

        var basis = Basis(job, context);
        string Expand(string text) => VariableExpander.Expand(text, basis.GetValueOrDefault);
        var name = Expand(env.Name);
        return new ResolvedEnvironment(
            name,
            EnvironmentSlug.Of(name),
            env.Url is { } url ? Expand(url) : null,
            env.Action,
            env.DeploymentTier ?? EnvironmentTiers.Guess(name),
            env.OnStop,
            env.AutoStopIn,
            env.Kubernetes?.Namespace is { } ns ? Expand(ns) : null);
    }

    private static Dictionary<string, string> Basis(JobPlan job, PipelineContext context)
    {
        var definitions = new List<VariableDefinition>(96);
        definitions.AddRange(PredefinedVariables.ForPipeline(context).Select(v => new VariableDefinition(v.Key, v.Value, false, false)));
        definitions.Add(new VariableDefinition("CI_JOB_NAME", job.Name, true, false));
        definitions.Add(new VariableDefinition("CI_JOB_NAME_SLUG", PredefinedVariables.Slug(job.Name, 63), true, false));
        definitions.Add(new VariableDefinition("CI_JOB_STAGE", job.Stage, true, false));
        definitions.Add(new VariableDefinition("CI_NODE_TOTAL", (job.Parallel?.Total ?? 1).ToString(CultureInfo.InvariantCulture), true, false));
        if (job.Parallel is { } parallel)
        {
            definitions.Add(new VariableDefinition("CI_NODE_INDEX", parallel.Index.ToString(CultureInfo.InvariantCulture), true, false));
        }

        definitions.AddRange(job.Variables.Select(v => new VariableDefinition(v.Key, v.Value, v.Raw, false)));
        definitions.AddRange(EnvironmentScopes.ForEnvironment(context.Variables, null).Select(v => new VariableDefinition(v.Key, v.Value, v.Raw, v.File)));
        var last = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            last[d.Key] = d;
        }

        return VariableSetExpander.Expand([.. last.Values], VariableSetOptions.RunnerPayload).Variables
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }
}

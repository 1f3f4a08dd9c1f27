using System.Globalization;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Variables;
using Relais.Protocol.Jobs;

namespace Relais.Dispatch;

/// <summary>
/// The variables of a job payload, in GitLab's order (later ones win): job predefined, pipeline
/// predefined, the deployment variables of a cluster setting (<see cref="KubernetesVariables"/>), YAML (global and job, matrix, rules), dotenv from dependencies, project and pipeline variables (those
/// scoped to other environments left out), then the variables given when the manual job was played. Values are
/// expanded against each other as GitLab does before sending (undefined references kept; raw and file variables left
/// as written). With a container registry, GitLab's registry variables (and three legacy <c>CI_BUILD_*</c>) are among
/// the predefined ones, and the registry's CA comes last as <see cref="JobRegistry.CaFileVariable"/>.
/// </summary>
internal static class JobVariablesBuilder
{
    public static IReadOnlyList<JobVariable> Build(JobDispatch d)
    {
        var environment = JobEnvironments.Resolve(d.Job, d.Context);
        var list = new List<JobVariable>(96);
        list.AddRange(JobPredefined(d, environment));
        list.AddRange(Legacy(d));
        list.AddRange(WithRegistry(PredefinedVariables.ForPipeline(d.Context).Select(v => new JobVariable(v.Key, v.Value)), d.Registry));
        list.AddRange(KubernetesVariables.For(d.Kubernetes, environment));
        list.AddRange(d.Job.Variables.Select(v => new JobVariable(v.Key, v.Value, raw: v.Raw)));
        list.AddRange(d.DotenvVariables.Select(v => new JobVariable(v.Key, v.Value)));
        list.AddRange(EnvironmentScopes.ForEnvironment(d.Context.Variables, environment?.Name)
            .Select(v => new JobVariable(v.Key, v.Value, isPublic: false, v.Masked, v.File, v.Raw)));
        list.AddRange(d.PlayVariables.Select(v => new JobVariable(v.Key, v.Value, isPublic: false, v.Masked, v.File, v.Raw)));
        var result = Expand(Dedup(list));
        if (d.Registry?.CaCertificatePem is { } pem)
        {
            // Relais's own, for the runner: last and not replaceable, since runners make engines trust it.
            result.RemoveAll(v => v.Key == JobRegistry.CaFileVariable);
            result.Add(new JobVariable(JobRegistry.CaFileVariable, pem, file: true));
        }

        return result;
    }

    private static IEnumerable<JobVariable> JobPredefined(JobDispatch d, ResolvedEnvironment? environment)
    {
        var job = d.Job;
        var server = d.Context.ServerUrl.TrimEnd('/');
        var project = d.Context.ProjectPath;
        yield return new JobVariable("CI_JOB_ID", Text(d.JobId));
        yield return new JobVariable("CI_JOB_URL", $"{server}/{project}/-/jobs/{d.JobId}");
        yield return new JobVariable("CI_JOB_TOKEN", d.JobToken, isPublic: false, masked: true);
        yield return new JobVariable("CI_JOB_STARTED_AT", d.StartedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (d.Registry is not null)
        {
            yield return new JobVariable("CI_REGISTRY_USER", JobRegistry.JobTokenUser);
            yield return new JobVariable("CI_REGISTRY_PASSWORD", d.JobToken, isPublic: false, masked: true);
        }

        yield return new JobVariable("CI_REPOSITORY_URL", d.RepoUrl, isPublic: false);
        yield return new JobVariable("CI_JOB_NAME", job.Name);
        yield return new JobVariable("CI_JOB_NAME_SLUG", PredefinedVariables.Slug(job.Name, 63));
        yield return new JobVariable("CI_JOB_STAGE", job.Stage);
        yield return new JobVariable("CI_NODE_TOTAL", Text(job.Parallel?.Total ?? 1));
        if (job.Parallel is { } parallel)
        {
            yield return new JobVariable("CI_NODE_INDEX", Text(parallel.Index));
        }

        if (d.Manual)
        {
            yield return new JobVariable("CI_JOB_MANUAL", "true");
        }

        if (environment is not null)
        {
            yield return new JobVariable("CI_ENVIRONMENT_NAME", environment.Name);
            yield return new JobVariable("CI_ENVIRONMENT_SLUG", environment.Slug);
            yield return new JobVariable("CI_ENVIRONMENT_ACTION", environment.Action);
            if (job.Environment!.Url is { } url)
            {
                yield return new JobVariable("CI_ENVIRONMENT_URL", url); // expanded with the job's other variables below
            }

            yield return new JobVariable("CI_ENVIRONMENT_TIER", environment.Tier);
        }
    }

    /// <summary>
    /// The legacy names older tutorials log in and tag with (GitLab 9.0 renamed them, 16.0 stopped sending them): only
    /// the three a registry pipeline uses, and only with a registry.
    /// </summary>
    private static IEnumerable<JobVariable> Legacy(JobDispatch d)
    {
        if (d.Registry is null)
        {
            yield break;
        }

        yield return new JobVariable("CI_BUILD_TOKEN", d.JobToken, isPublic: false, masked: true);
        yield return new JobVariable("CI_BUILD_REF", d.Context.Sha);
        yield return new JobVariable("CI_BUILD_REF_NAME", d.Context.Ref);
    }

    /// <summary>
    /// <c>CI_REGISTRY</c> and <c>CI_REGISTRY_IMAGE</c> where GitLab's project variables have them (after the project's,
    /// before the API URLs).
    /// </summary>
    private static IEnumerable<JobVariable> WithRegistry(IEnumerable<JobVariable> pipeline, JobRegistry? registry)
    {
        var placed = registry is null;
        foreach (var v in pipeline)
        {
            if (registry is not null && v.Key is "CI_REGISTRY" or "CI_REGISTRY_IMAGE")
            {
                continue; // a pipeline made while the registry ran has them in its context: the dispatching server's win
            }

            if (!placed && v.Key == "CI_API_V4_URL")
            {
                placed = true;
                foreach (var r in Registry(registry!))
                {
                    yield return r;
                }
            }

            yield return v;
        }

        if (!placed)
        {
            foreach (var r in Registry(registry!))
            {
                yield return r;
            }
        }
    }

    private static IEnumerable<JobVariable> Registry(JobRegistry registry)
    {
        yield return new JobVariable("CI_REGISTRY", registry.Address);
        yield return new JobVariable("CI_REGISTRY_IMAGE", registry.Image);
    }

    /// <summary>Later definitions win; a variable keeps the position where it first appeared.</summary>
    private static List<JobVariable> Dedup(List<JobVariable> list)
    {
        var index = new Dictionary<string, int>(list.Count, StringComparer.Ordinal);
        var result = new List<JobVariable>(list.Count);
        foreach (var v in list)
        {
            if (index.TryGetValue(v.Key, out var at))
            {
                result[at] = v;
            }
            else
            {
                index[v.Key] = result.Count;
                result.Add(v);
            }
        }

        return result;
    }

    private static List<JobVariable> Expand(List<JobVariable> list)
    {
        var definitions = list.Select(v => new VariableDefinition(v.Key, v.Value, v.Raw, v.File)).ToList();
        var expanded = VariableSetExpander.Expand(definitions, VariableSetOptions.RunnerPayload).Variables
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return [.. list.Select(v => v with { Value = expanded.GetValueOrDefault(v.Key, v.Value) })];
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

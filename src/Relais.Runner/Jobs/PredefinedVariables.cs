using System.Globalization;
using Relais.Protocol.Jobs;
using Relais.Runner.Executors;
using Relais.Runner.Variables;

namespace Relais.Runner.Jobs;

/// <summary>
/// The variables a job runs with, in gitlab-runner's order (later wins): the runner's own variables, the runner's
/// predefined ones (<c>CI_BUILDS_DIR</c>, <c>CI_PROJECT_DIR</c>, <c>CI_CONCURRENT_ID</c>,
/// <c>CI_CONCURRENT_PROJECT_ID</c>, <c>CI_SERVER</c>, <c>CI_JOB_STATUS</c>, <c>CI_JOB_TIMEOUT</c>), the payload's, then
/// <c>CI_SHARED_ENVIRONMENT</c> or <c>CI_DISPOSABLE_ENVIRONMENT</c>, <c>CI_RUNNER_SHORT_TOKEN</c>,
/// <c>CI_RUNNER_VERSION</c>, <c>CI_RUNNER_REVISION</c>, <c>CI_RUNNER_EXECUTABLE_ARCH</c> and <c>CI_JOB_IMAGE</c>. Values
/// that are not raw are then expanded once against the whole list (a file variable's reference giving its path).
/// </summary>
internal static class PredefinedVariables
{
    public static JobVariables Build(JobContext context, JobPaths paths)
    {
        var concurrent = context.Options.ConcurrentId.ToString(CultureInfo.InvariantCulture);
        var list = new List<JobVariable>(context.Settings.Variables)
        {
            new("CI_BUILDS_DIR", paths.BuildsDir),
            new("CI_PROJECT_DIR", paths.ProjectDir),
            new("CI_CONCURRENT_ID", concurrent),
            new("CI_CONCURRENT_PROJECT_ID", context.Options.ProjectSlot.ToString(CultureInfo.InvariantCulture)),
            new("CI_SERVER", "yes"),
            new("CI_JOB_STATUS", "running"),
            new("CI_JOB_TIMEOUT", ((long)context.JobTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        list.AddRange(context.Job.Variables);
        list.Add(context.Executor.Info.DisposableEnvironment
            ? new JobVariable("CI_DISPOSABLE_ENVIRONMENT", "true")
            : new JobVariable("CI_SHARED_ENVIRONMENT", "true"));
        list.Add(new("CI_RUNNER_SHORT_TOKEN", context.Settings.ShortToken));
        list.Add(new("CI_RUNNER_VERSION", RunnerVersion.Version));
        list.Add(new("CI_RUNNER_REVISION", RunnerVersion.Revision));
        list.Add(new("CI_RUNNER_EXECUTABLE_ARCH", RunnerVersion.Platform));
        if (context.Job.Image is { Name.Length: > 0 } image)
        {
            list.Add(new("CI_JOB_IMAGE", image.Name));
        }

        return new JobVariables(list).ExpandValues(paths.TempPathForScripts);
    }
}

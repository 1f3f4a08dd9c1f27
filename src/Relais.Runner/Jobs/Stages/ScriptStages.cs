using Relais.Protocol.Jobs;

namespace Relais.Runner.Jobs.Stages;

/// <summary>The user's scripts: <c>step_script</c> (and other steps such as <c>release</c>), then <c>after_script</c>.</summary>
internal static class ScriptStages
{
    /// <summary>The steps that run before after_script, in payload order, each as <c>step_&lt;name&gt;</c>.</summary>
    public static IEnumerable<JobStep> MainSteps(JobContext context) =>
        context.Job.Steps.Where(s => s.Name != StepNames.AfterScript && s.Script.Count > 0);

    /// <summary>The after_script step, if it has commands.</summary>
    public static JobStep? AfterScript(JobContext context) =>
        context.Job.Steps.FirstOrDefault(s => s.Name == StepNames.AfterScript && s.Script.Count > 0);

    /// <summary>Runs one main step: before_script and script together, in one shell.</summary>
    public static Task<StageResult> RunStepAsync(JobContext context, JobStep step, CancellationToken cancellationToken) =>
        context.RunScriptAsync(StageName(step), step.Script, cancellationToken, CollectsFromProject(context));

    /// <summary>
    /// Whether the host reads the project directory after the scripts: a cache to save or artifacts to upload, for
    /// either outcome (which one is not known yet). After the scripts only after_script and those read it.
    /// </summary>
    public static bool CollectsFromProject(JobContext context) =>
        CacheStages.HasCachesToSave(context, succeeded: true) || CacheStages.HasCachesToSave(context, succeeded: false)
        || ArtifactStages.Uploads(context, succeeded: true).Count > 0 || ArtifactStages.Uploads(context, succeeded: false).Count > 0;

    /// <summary>
    /// Runs after_script in a new shell with <c>CI_JOB_STATUS</c> set to the job's status. Its result never changes the
    /// job's: a failure or a timeout is a warning.
    /// </summary>
    public static async Task<StageResult> RunAfterScriptAsync(JobContext context, JobStep step, CancellationToken cancellationToken)
    {
        context.Log.Notice("Running after script...");
        var result = await context.RunScriptAsync(StepNames.AfterScript, step.Script, cancellationToken, CollectsFromProject(context));
        if (result.Kind == StageResultKind.Failed)
        {
            context.Log.Warning($"after_script failed, but job will continue unaffected: {result.Message}");
        }
        else if (result.Kind == StageResultKind.Interrupted)
        {
            context.Log.Warning("after_script was stopped (timeout or abort), but job will continue unaffected");
        }

        return StageResult.Ok;
    }

    /// <summary>The section name of a step: <c>step_script</c>, <c>step_release</c>.</summary>
    public static string StageName(JobStep step) => "step_" + step.Name.ToLowerInvariant();
}

using Relais.Protocol;
using Relais.Protocol.Jobs;

namespace Relais.Runner.Jobs.Stages;

/// <summary>The stages around the job's environment: prepare it, get sources into it, clean it up.</summary>
internal static class EnvironmentStages
{
    /// <summary><c>prepare_executor</c>: the executor creates the environment; the variables are built from its paths.</summary>
    public static async Task<StageResult> PrepareExecutorAsync(JobContext context, CancellationToken cancellationToken)
    {
        var prepared = await context.Executor.PrepareAsync(context.Environment, context.Log, cancellationToken);
        if (!prepared.Succeeded)
        {
            return StageResult.Failed(prepared.FailureReason ?? FailureReasons.RunnerSystemFailure, prepared.Error ?? "the environment could not be prepared");
        }

        context.Attach(prepared.Paths!);
        return StageResult.Ok;
    }

    /// <summary><c>prepare_script</c>: says where the job runs and writes the file variables (no process is started).</summary>
    public static Task<StageResult> PrepareScriptAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.Log.Info($"Running on {Environment.MachineName}...");
        context.WriteFileVariables();
        return Task.FromResult(StageResult.Ok);
    }

    /// <summary><c>get_sources</c>: the pre hook, the source provider, the post hook.</summary>
    public static async Task<StageResult> GetSourcesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var hook = await RunHookAsync(context, StepNames.PreGetSourcesScript, cancellationToken);
        if (!hook.Succeeded)
        {
            return hook;
        }

        var result = await context.Sources.GetSourcesAsync(context.SourceContext, cancellationToken);
        return result.Succeeded ? await RunHookAsync(context, StepNames.PostGetSourcesScript, cancellationToken) : result;
    }

    /// <summary><c>cleanup_file_variables</c>: removes file variables, then the executor cleans the environment.</summary>
    public static async Task<StageResult> CleanupAsync(JobContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.RemoveFileVariables();
        }
        catch (IOException e)
        {
            context.Log.Warning($"could not remove file variables: {e.Message}");
        }

        await context.Executor.CleanupAsync(context.Environment, cancellationToken);
        return StageResult.Ok;
    }

    private static async Task<StageResult> RunHookAsync(JobContext context, string name, CancellationToken cancellationToken)
    {
        var hook = context.Job.Hooks.FirstOrDefault(h => h.Name == name);
        return hook is { Script.Count: > 0 } ? await context.RunScriptAsync(name, hook.Script, cancellationToken) : StageResult.Ok;
    }
}

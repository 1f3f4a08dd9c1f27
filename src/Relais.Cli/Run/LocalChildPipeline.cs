using Relais.Dispatch.Downstream;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol;

namespace Relais.Cli.Run;

/// <summary>
/// Creates the child pipeline of a bridge job (<c>trigger:include</c>) in <c>relais run</c> as the coordinator does,
/// with the same pieces (<see cref="BridgeTrigger"/>, <see cref="ChildPipelineFiles"/>, <see cref="BridgeVariables"/>):
/// the parent's files (and files from earlier jobs' artifacts), source <c>parent_pipeline</c>, the variables the bridge
/// passes down, at most <see cref="BridgeTrigger.MaxChildDepth"/> levels deep. What cannot run here (a multi-project
/// trigger, an include from another project, a template or a remote file) is said in the bridge's log, and the
/// bridge fails with the reason GitLab gives a downstream pipeline it could not create.
/// </summary>
internal static class LocalChildPipeline
{
    /// <summary>The child pipeline, ready to run, and whether the bridge mirrors it; or the failure reason when there is none.</summary>
    internal sealed record Created(LocalPipeline? Pipeline, bool Depend, string? FailureReason);

    /// <param name="depth">How many pipelines are above the bridge's pipeline.</param>
    /// <param name="say">Writes a line to the bridge's log.</param>
    public static async Task<Created> CreateAsync(
        LocalJobRunner parent, LocalRun run, string bridge, string prefix, int depth, Action<string> say, CancellationToken cancel)
    {
        var trigger = BridgeTrigger.From(parent.Plan.Job(bridge)!.Trigger!);
        if (!trigger.IsChild)
        {
            say($"trigger:project `{trigger.Project}` starts a multi-project pipeline on a server, in that project: relais run cannot run it here, so this job fails (run the other jobs by name to leave it out)");
            return Failed(FailureReasons.DownstreamPipelineCreationFailed);
        }

        if (trigger.Includes.FirstOrDefault(i => i.ContainsKey("project") || i.ContainsKey("remote") || i.ContainsKey("template")) is { } outside)
        {
            say($"trigger:include {outside.ToJsonString()} reads a file from outside this checkout, which relais run cannot do, so this job fails; vendor the file and include it with `local:`");
            return Failed(FailureReasons.DownstreamPipelineCreationFailed);
        }

        if (trigger.Includes.Count == 0)
        {
            say("trigger:include names no file, so there is no child pipeline to run");
            return Failed(FailureReasons.InvalidBridgeTrigger);
        }

        if (depth >= BridgeTrigger.MaxChildDepth)
        {
            say($"child pipelines nest at most {BridgeTrigger.MaxChildDepth} levels deep (as on GitLab): this one would be level {depth + 1}");
            return Failed(FailureReasons.ReachedMaxDescendantPipelinesDepth);
        }

        var bridgeId = parent.NewJobId();
        var files = await ChildPipelineFiles.BuildAsync(trigger, bridgeId, (job, path) => Task.FromResult(parent.ArtifactFile(job, path)));
        if (files is null)
        {
            say("a trigger:include:artifact file is not in its job's artifacts (the job must run before this one, here, and keep the file in artifacts:paths)");
            return Failed(FailureReasons.DownstreamPipelineCreationFailed);
        }

        var pipeline = run.NextPipeline();
        var passed = BridgeVariables.Of(parent.Plan, parent.Plan.Job(bridge)!, parent.Context, bridgeId, trigger,
            parent.Context.Variables.Select(v => v.Key).ToHashSet(StringComparer.Ordinal));
        var context = parent.Context with
        {
            Source = PipelineSource.ParentPipeline,
            ConfigPath = files.EntryFile,
            Variables = passed,
            PipelineId = pipeline,
            PipelineIid = pipeline,
        };
        CompileResult result;
        await using (var source = new ChildConfigSource(run.OpenFiles(), files.Overlay))
        {
            result = await AsyncCompile.CompileAsync(new CompileRequest(source, context) { EntryFile = files.EntryFile }, cancel);
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            say($"child pipeline: {diagnostic}");
        }

        if (result.HasErrors || result.Plan is null)
        {
            say(result.HasErrors ? "the child pipeline's configuration is invalid" : $"no child pipeline: {result.Workflow.Reason}");
            return Failed(FailureReasons.DownstreamPipelineCreationFailed);
        }

        say($"child pipeline {pipeline}: {result.Plan.Jobs.Length} job(s){(trigger.Depend ? ", strategy: depend" : "")}");
        var child = new LocalPipeline(parent.ForChild(result.Plan, context), run, prefix + bridge + " ▸ ", depth + 1, run.FirstSlotOf(pipeline));
        return new Created(child, trigger.Depend, null);
    }

    private static Created Failed(string reason) => new(null, false, reason);
}

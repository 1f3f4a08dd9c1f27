using System.Globalization;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Jobs.Stages;
using Relais.Runner.Sources;
using Relais.Runner.Trace;

namespace Relais.Runner.Jobs;

/// <summary>
/// Runs one job from its payload through GitLab's stages, once for every executor and every caller (the remote runner
/// and <c>relais run</c>): prepare → get_sources → restore_cache → download_artifacts → step_script → after_script →
/// archive_cache → upload_artifacts → cleanup. Thread-safe: one instance runs many jobs at once.
/// <para>
/// Two tokens, as a job has two ways to stop early: <c>cancel</c> is a graceful cancel (the script is stopped,
/// after_script still runs, the outcome is canceled) and <c>abort</c> a hard one (everything stops, only cleanup
/// runs). The job timeout is a third token inside. Cleanup runs on its own token, which outlives all three.
/// </para>
/// </summary>
public sealed class JobRunner
{
    private readonly IExecutor _executor;
    private readonly ICacheStore _cache;
    private readonly IArtifactStore _artifacts;
    private readonly RunnerSettings _settings;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner for one executor and its stores.</summary>
    public JobRunner(IExecutor executor, ICacheStore cache, IArtifactStore artifacts, RunnerSettings? settings = null, TimeProvider? time = null)
    {
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _settings = settings ?? new RunnerSettings();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs <paramref name="job"/>, writing its log to <paramref name="trace"/>. Job failures are values in the outcome,
    /// never exceptions; the outcome is returned after cleanup, with the final line written and the log flushed.
    /// </summary>
    public async Task<JobOutcome> RunAsync(
        JobResponse job, IJobTrace trace, JobRunOptions? options = null, CancellationToken cancel = default, CancellationToken abort = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= new JobRunOptions();
        var started = _time.GetTimestamp();
        var timeout = job.RunnerInfo.Timeout > 0 ? TimeSpan.FromSeconds(job.RunnerInfo.Timeout) : _settings.DefaultJobTimeout;
        var log = new JobLog(trace, Masker(job), _time, _settings.OutputLimit);
        var context = new JobContext
        {
            Job = job, Settings = _settings, Options = options, Executor = _executor, Log = log, Time = _time,
            Sources = options.Sources ?? GitSourceProvider.Instance, Cache = _cache, Artifacts = _artifacts, JobTimeout = timeout,
            Environment = Environment(job, options),
        };
        WriteHeader(log);

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancel, abort, timeoutSource.Token);
        var tokens = new JobTokens(work.Token, cancel, abort, timeoutSource.Token);
        var result = StageResult.Interrupted();
        try
        {
            result = await RunStagesAsync(context, tokens);
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(_settings.CleanupTimeout, _time);
            await StageAsync(context, "cleanup_file_variables", "Cleaning up project directory and file based variables", EnvironmentStages.CleanupAsync, cleanup.Token);
        }

        var outcome = Conclude(result, tokens, _time.GetElapsedTime(started));
        WriteResult(log, outcome, result, timeout);
        log.Flush();
        return outcome;
    }

    private async Task<StageResult> RunStagesAsync(JobContext context, JobTokens tokens)
    {
        var (work, abort) = (tokens.Work, tokens.Abort);
        var result = await StageAsync(context, "prepare_executor", $"Preparing the \"{_executor.Info.Name}\" executor", EnvironmentStages.PrepareExecutorAsync, work);
        if (result.Succeeded)
        {
            result = await StageAsync(context, "prepare_script", "Preparing environment", EnvironmentStages.PrepareScriptAsync, work);
        }

        if (result.Succeeded)
        {
            result = await StageAsync(context, "get_sources", context.Sources.Header, EnvironmentStages.GetSourcesAsync, work, "GET_SOURCES_ATTEMPTS");
        }

        if (result.Succeeded && CacheStages.HasCaches(context))
        {
            result = await StageAsync(context, "restore_cache", "Restoring cache", CacheStages.RestoreAsync, work, "RESTORE_CACHE_ATTEMPTS");
        }

        if (result.Succeeded && ArtifactStages.Downloads(context).Count > 0)
        {
            result = await StageAsync(context, "download_artifacts", "Downloading artifacts", ArtifactStages.DownloadAsync, work, "ARTIFACT_DOWNLOAD_ATTEMPTS");
        }

        if (result.Succeeded)
        {
            result = await RunScriptsAsync(context, tokens);
        }

        if (tokens.Canceled || context.Paths is null || (result.Kind == StageResultKind.Interrupted && !tokens.TimedOut))
        {
            return result; // canceled or aborted jobs save no cache and upload no artifacts
        }

        var succeeded = result.Succeeded;
        if (CacheStages.HasCachesToSave(context, succeeded))
        {
            await StageAsync(
                context, succeeded ? "archive_cache" : "archive_cache_on_failure", succeeded ? "Saving cache for successful job" : "Saving cache for failed job",
                (c, ct) => CacheStages.ArchiveAsync(c, succeeded, ct), abort);
        }

        if (ArtifactStages.Uploads(context, succeeded).Count > 0)
        {
            var upload = await StageAsync(
                context, succeeded ? "upload_artifacts_on_success" : "upload_artifacts_on_failure",
                succeeded ? "Uploading artifacts for successful job" : "Uploading artifacts for failed job",
                (c, ct) => ArtifactStages.UploadAsync(c, succeeded, ct), abort);
            result = succeeded ? upload : result;
        }

        return result;
    }

    private async Task<StageResult> RunScriptsAsync(JobContext context, JobTokens tokens)
    {
        var (work, abort) = (tokens.Work, tokens.Abort);
        var result = StageResult.Ok;
        foreach (var step in ScriptStages.MainSteps(context))
        {
            var name = ScriptStages.StageName(step);
            result = await StageAsync(context, name, $"Executing \"{name}\" stage of the job script", (c, ct) => ScriptStages.RunStepAsync(c, step, ct), work);
            if (!result.Succeeded)
            {
                break;
            }
        }

        if (ScriptStages.AfterScript(context) is { } afterScript && !abort.IsCancellationRequested)
        {
            context.Status = result.Succeeded ? "success" : tokens.Canceled ? "canceled" : "failed";
            using var timeout = new CancellationTokenSource(_settings.AfterScriptTimeout, _time);
            using var afterToken = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort);
            await StageAsync(context, "after_script", "Running after_script", (c, ct) => ScriptStages.RunAfterScriptAsync(c, afterScript, ct), afterToken.Token);
        }

        return result;
    }

    /// <summary>Runs one stage in its log section; exceptions become runner_system_failure, a fired token an interruption.</summary>
    private static async Task<StageResult> StageAsync(
        JobContext context, string name, string header, Func<JobContext, CancellationToken, Task<StageResult>> body,
        CancellationToken cancellationToken, string? attemptsVariable = null)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return StageResult.Interrupted();
        }

        var attempts = attemptsVariable is null ? 1 : context.Attempts(attemptsVariable);
        var result = StageResult.Ok;
        context.Log.SectionStart(name, header);
        try
        {
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                result = await body(context, cancellationToken);
                if (result.Kind != StageResultKind.Failed || cancellationToken.IsCancellationRequested || attempt == attempts)
                {
                    break;
                }

                context.Log.Warning($"{name} failed ({result.Message}); retrying, attempt {attempt + 1} of {attempts}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = StageResult.Interrupted();
        }
#pragma warning disable CA1031 // a broken stage must end the job as a value, whatever it threw
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = StageResult.Failed(FailureReasons.RunnerSystemFailure, $"{name}: {e.Message}");
        }
        finally
        {
            context.Log.SectionEnd(name);
        }

        return result.Kind == StageResultKind.Failed || !cancellationToken.IsCancellationRequested ? result : StageResult.Interrupted();
    }

    private static JobOutcome Conclude(StageResult result, JobTokens tokens, TimeSpan duration) => result.Kind switch
    {
        StageResultKind.Succeeded => new(JobResult.Success, null, null, duration),
        StageResultKind.Interrupted when tokens.Canceled => new(JobResult.Canceled, null, null, duration),
        StageResultKind.Interrupted when tokens.TimedOut => new(JobResult.Failed, FailureReasons.JobExecutionTimeout, null, duration),
        StageResultKind.Interrupted => new(JobResult.Failed, FailureReasons.RunnerSystemFailure, null, duration),
        _ => new(JobResult.Failed, result.FailureReason ?? FailureReasons.ScriptFailure, result.ExitCode, duration),
    };

    private void WriteHeader(JobLog log)
    {
        log.Info($"Running with relais {RunnerVersion.Version} ({RunnerVersion.Revision})");
        log.Info($"  on {_settings.Name} {_settings.ShortToken}" + (_settings.SystemId is { } id ? $", system ID: {id}" : ""));
    }

    private static void WriteResult(JobLog log, JobOutcome outcome, StageResult result, TimeSpan timeout)
    {
        switch (outcome.Result)
        {
            case JobResult.Success:
                log.Notice("Job succeeded");
                break;
            case JobResult.Canceled:
                log.Error("Job failed: canceled");
                break;
            case JobResult.Failed when outcome.FailureReason == FailureReasons.JobExecutionTimeout:
                log.Error($"Job failed: execution took longer than {GoDuration(timeout)} seconds");
                break;
            case JobResult.Failed when outcome.FailureReason == FailureReasons.RunnerSystemFailure:
                log.Error($"Job failed (system failure): {result.Message ?? "interrupted"}");
                break;
            default:
                log.Error($"Job failed: {result.Message}");
                break;
        }
    }

    private StreamingMasker Masker(JobResponse job)
    {
        var phrases = job.Variables.Concat(_settings.Variables).Where(v => v.Masked).Select(v => v.Value).Append(job.Token);
        var prefixes = StreamingMasker.DefaultTokenPrefixes.Concat(job.Features.TokenMaskPrefixes);
        return new StreamingMasker(phrases, prefixes);
    }

    private JobEnvironment Environment(JobResponse job, JobRunOptions options)
    {
        var runId = Guid.NewGuid().ToString("N");
        return new JobEnvironment
        {
            JobId = job.Id,
            RunId = runId,
            ProjectDirName = JobDirectories.ProjectDirName(job, _settings, options.ProjectSlot),
            ConcurrentId = options.ConcurrentId,
            Image = job.Image,
            IsolationRequired = job.IsolationRequired,
            Services = job.Services,
            Labels = new Dictionary<string, string>
            {
                ["relais.job.id"] = job.Id.ToString(CultureInfo.InvariantCulture),
                ["relais.runner"] = _settings.ShortToken,
                ["relais.run.id"] = runId,
                ["relais.project.id"] = job.JobInfo.ProjectId.ToString(CultureInfo.InvariantCulture),
                ["relais.pipeline.id"] = (job.JobInfo.PipelineId ?? 0).ToString(CultureInfo.InvariantCulture),
            },
            Variables = new Variables.JobVariables(_settings.Variables.Concat(job.Variables)).ExpandValues(),
            Credentials = job.Credentials,
        };
    }

    private static string GoDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes}m{span.Seconds}s"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds}s"
        : $"{span.Seconds}s";

    /// <summary>The job's tokens: <c>Work</c> fires on any of cancel, abort and timeout; the others say which one fired.</summary>
    private readonly record struct JobTokens(CancellationToken Work, CancellationToken Cancel, CancellationToken Abort, CancellationToken Timeout)
    {
        public bool Canceled => Cancel.IsCancellationRequested || Abort.IsCancellationRequested;

        public bool TimedOut => Timeout.IsCancellationRequested && !Canceled;
    }
}

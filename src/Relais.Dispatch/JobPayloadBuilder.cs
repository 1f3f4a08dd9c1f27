using System.Globalization;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Protocol.Jobs;

namespace Relais.Dispatch;

/// <summary>
/// Builds the runner payload (the 201 body of <c>POST /api/v4/jobs/request</c>) for one planned job:
/// steps, variables, image and services, cache, artifacts, git info. The same payload drives a remote
/// runner and <c>relais run</c>.
/// </summary>
public static class JobPayloadBuilder
{
    public const int DefaultGitDepth = 20;

    public static JobResponse Build(JobDispatch d)
    {
        var job = d.Job;
        var timeout = (int)(job.Timeout ?? d.DefaultTimeout).TotalSeconds;
        var variables = JobVariablesBuilder.Build(d);
        return new JobResponse
        {
            Id = d.JobId,
            Token = d.JobToken,
            AllowGitFetch = true,
            JobInfo = new JobInfo
            {
                Id = d.JobId,
                Name = job.Name,
                Stage = job.Stage,
                ProjectId = d.Context.ProjectId,
                ProjectName = d.Context.ProjectPath.Split('/')[^1],
                PipelineId = d.Context.PipelineId,
                ProjectFullPath = d.Context.ProjectPath,
            },
            GitInfo = Git(d, variables),
            RunnerInfo = new RunnerInfo { Timeout = timeout },
            Variables = variables,
            Steps = Steps(job, timeout),
            Hooks = job.PreGetSourcesScript.IsEmpty ? [] : [new JobHook { Name = StepNames.PreGetSourcesScript, Script = job.PreGetSourcesScript }],
            Image = PayloadParts.Image(job.Image),
            Services = [.. job.Services.Select(PayloadParts.Service)],
            Artifacts = PayloadParts.Artifacts(job.Artifacts),
            Cache = PayloadParts.Caches(job.Cache, d.Context.RefProtected),
            Credentials = d.Registry is { } registry
                ? [new JobCredential { Type = "registry", Url = registry.Address, Username = JobRegistry.JobTokenUser, Password = d.JobToken }]
                : [],
            Dependencies = d.Dependencies,
            Features = new JobFeatures { TraceSections = true, FailureReasons = FailureReasons.All },
            Run = job.Extras.GetValueOrDefault("run")?.Json,
        };
    }

    private static IReadOnlyList<JobStep> Steps(JobPlan job, int timeout)
    {
        var steps = new List<JobStep>(2)
        {
            new() { Name = StepNames.Script, Script = [.. job.BeforeScript, .. job.Script], Timeout = timeout, When = "on_success" },
        };
        if (!job.AfterScript.IsEmpty)
        {
            steps.Add(new JobStep { Name = StepNames.AfterScript, Script = job.AfterScript, Timeout = timeout, When = "always", AllowFailure = true });
        }

        return steps;
    }

    private static GitInfo Git(JobDispatch d, IReadOnlyList<JobVariable> variables)
    {
        var depthText = variables.LastOrDefault(v => v.Key == "GIT_DEPTH")?.Value;
        var depth = int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultGitDepth;
        var c = d.Context;
        var refKind = c.IsTag ? "tags" : "heads";
        var refspecs = new List<string> { $"+refs/pipelines/{c.PipelineId}:refs/pipelines/{c.PipelineId}" };
        if (depth > 0)
        {
            refspecs.Add(c.IsTag ? $"+refs/tags/{c.Ref}:refs/tags/{c.Ref}" : $"+refs/heads/{c.Ref}:refs/remotes/origin/{c.Ref}");
        }
        else
        {
            refspecs.Add("+refs/heads/*:refs/remotes/origin/*");
            refspecs.Add("+refs/tags/*:refs/tags/*");
        }

        return new GitInfo
        {
            RepoUrl = d.RepoUrl,
            Ref = c.Ref,
            Sha = c.Sha,
            BeforeSha = c.BeforeSha ?? new string('0', 40),
            RefType = c.IsTag ? "tag" : "branch",
            Refspecs = refspecs,
            Depth = depth,
            RepoObjectFormat = "sha1",
            Protected = c.RefProtected,
        };
    }
}

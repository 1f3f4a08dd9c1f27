using Relais.Protocol.Jobs;

namespace Relais.TestSupport;

/// <summary>Job payloads for tests.</summary>
public static class Payloads
{
    private static long _nextId = 1000;

    public static JobResponse Job(
        IReadOnlyList<string>? script = null, IReadOnlyList<string>? afterScript = null, IReadOnlyList<JobVariable>? variables = null,
        int timeoutSeconds = 0)
    {
        var id = Interlocked.Increment(ref _nextId);
        var steps = new List<JobStep> { new() { Name = StepNames.Script, Script = script ?? ["echo hello"], Timeout = 3600, When = "on_success" } };
        if (afterScript is not null)
        {
            steps.Add(new JobStep { Name = StepNames.AfterScript, Script = afterScript, Timeout = 3600, When = "always", AllowFailure = true });
        }

        return new JobResponse
        {
            Id = id,
            Token = "glcbt-job-token-" + id,
            JobInfo = new JobInfo { Id = id, Name = "test", Stage = "test", ProjectId = 7, ProjectName = "app", ProjectFullPath = "group/app" },
            GitInfo = new GitInfo { RepoUrl = "", Ref = "main", Sha = "" },
            RunnerInfo = new RunnerInfo { Timeout = timeoutSeconds },
            Variables = [new JobVariable("GIT_STRATEGY", "none"), new JobVariable("CI_JOB_ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. variables ?? []],
            Steps = steps,
        };
    }
}

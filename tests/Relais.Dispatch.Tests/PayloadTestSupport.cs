using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol.Jobs;

namespace Relais.Dispatch.Tests;

internal static class PayloadTestSupport
{
    public static PipelineContext Push(string branch = "main") => new()
    {
        Ref = branch,
        DefaultBranch = "main",
        RefProtected = branch == "main",
        Sha = new string('a', 40),
        ProjectPath = "group/app",
        ServerUrl = "https://ci.example.com",
        PipelineId = 11,
    };

    /// <summary>Compiles <paramref name="yaml"/> and builds the payload of <paramref name="jobName"/>.</summary>
    public static JobResponse Payload(string yaml, string jobName, PipelineContext? context = null, Func<JobDispatch, JobDispatch>? adjust = null)
    {
        context ??= Push();
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(yaml), context));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var plan = result.Plan!;
        var dispatch = new JobDispatch
        {
            Plan = plan,
            Job = plan.Job(jobName) ?? throw new InvalidOperationException("no job " + jobName),
            Context = context,
            JobId = 7,
            JobToken = "glcbt-secret-token",
            RepoUrl = "https://gitlab-ci-token:glcbt-secret-token@ci.example.com/group/app.git",
        };
        return JobPayloadBuilder.Build(adjust is null ? dispatch : adjust(dispatch));
    }

    public static string? Var(this JobResponse job, string key) => job.Variables.LastOrDefault(v => v.Key == key)?.Value;
}

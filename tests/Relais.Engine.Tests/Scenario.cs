using Relais.Engine.Tests.Support;
using Relais.Protocol;

namespace Relais.Engine.Tests;

/// <summary>One table row: a plan, a script of events, the jobs and the pipeline status expected after it.</summary>
internal static class Scenario
{
    public static PipelineRun Check(string plan, string actions, string jobs, string status)
    {
        var run = PipelineRun.Of(plan).Do(actions);
        Assert.Equal(jobs, run.Jobs());
        Assert.Equal(status, run.Status.ToGitLab());
        return run;
    }
}

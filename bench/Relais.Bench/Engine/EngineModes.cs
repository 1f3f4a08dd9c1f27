using System.Globalization;
using System.Text;
using Relais.Bench.Harness;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Protocol;

namespace Relais.Bench.Engine;

/// <summary>
/// <c>engine</c>: the pure engine on one pipeline of N one-line jobs in one stage, every job started and finished in
/// turn (what the coordinator applies for each job, without storage). Reports the time per event, which shows how the
/// cost of one event grows with the size of the pipeline.
/// </summary>
internal static class EngineModes
{
    public static int Run(int jobs, HarnessOptions options, TextWriter o)
    {
        var plan = Plan(jobs);
        var events = (2 * jobs) + 1;
        var m = StopwatchHarness.Run($"engine {jobs} jobs ({events} events)", () => RunPipeline(plan), options);
        StopwatchHarness.Print(o, [m]);
        o.WriteLine(StopwatchHarness.LoadNote());
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per event: median {m.MedianMs * 1000 / events:F1} µs, {m.AllocatedMiBPerOp * 1024 * 1024 / events / 1024:F1} KiB allocated"));
        return 0;
    }

    private static PipelineState RunPipeline(PipelinePlan plan)
    {
        var at = DateTimeOffset.UnixEpoch;
        var state = PipelineEngine.Create(plan, 1, at).State;
        foreach (var job in plan.Jobs)
        {
            at = at.AddMilliseconds(1);
            state = PipelineEngine.Apply(state, new JobStarted(at, job.Name, 1)).State;
            at = at.AddMilliseconds(1);
            state = PipelineEngine.Apply(state, JobFinished.Success(at, job.Name, 1)).State;
        }

        return state.Status == CiStatus.Success ? state : throw new InvalidOperationException($"the pipeline ended {state.Status}");
    }

    private static PipelinePlan Plan(int jobs)
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < jobs; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"job{i}: {{script: [echo {i}]}}\n");
        }

        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(yaml.ToString()), new PipelineContext { Ref = "main" }));
        return result.Plan ?? throw new InvalidOperationException("the generated pipeline did not compile");
    }
}

using System.Globalization;
using System.Text;
using Relais.Bench.Harness;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Protocol;

namespace Relais.Bench.State;

/// <summary>
/// <c>state</c>: the stored form of a pipeline's state, as the coordinator's store writes and reads it, without the
/// database. A pipeline of N jobs (each with an image, a service, a cache, artifacts, variables and tags) is run
/// through the engine, every job started and finished; the mode reports the bytes each event writes (the pipeline's
/// own fields and the job rows it changed), and the time to save and to load the whole N-job state (plan, pipeline
/// fields and every job row).
/// </summary>
internal static class StateModes
{
    public static int Run(int jobs, HarnessOptions options, TextWriter o)
    {
        var plan = Plan(jobs);
        var states = States(plan);
        var final = states[^1];
        long bytes = 0;
        for (var i = 1; i < states.Count; i++)
        {
            bytes += StoredForm.EventBytes(states[i - 1], states[i]);
        }

        var saved = StoredForm.Save(final);
        var save = StopwatchHarness.Run($"save a {jobs}-job state", () => StoredForm.Save(final), options);
        var load = StopwatchHarness.Run($"load a {jobs}-job state", () => StoredForm.Load(saved), options);
        StopwatchHarness.Print(o, [save, load]);
        o.WriteLine(StopwatchHarness.LoadNote());
        var events = states.Count - 1;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stored per event: {(double)bytes / events:F1} bytes over {events} events; whole state: plan {saved.Plan.Length:N0} chars, pipeline {saved.Header.Length:N0}, jobs {saved.Jobs.Sum(j => j.Length):N0}"));
        return 0;
    }

    private static List<PipelineState> States(PipelinePlan plan)
    {
        var at = DateTimeOffset.UnixEpoch;
        var state = PipelineEngine.Create(plan, 1, at).State;
        var states = new List<PipelineState> { state };
        foreach (var job in plan.Jobs)
        {
            at = at.AddMilliseconds(1);
            state = PipelineEngine.Apply(state, new JobStarted(at, job.Name, 1)).State;
            states.Add(state);
            at = at.AddMilliseconds(1);
            state = PipelineEngine.Apply(state, JobFinished.Success(at, job.Name, 1)).State;
            states.Add(state);
        }

        return state.Status == CiStatus.Success ? states : throw new InvalidOperationException($"the pipeline ended {state.Status}");
    }

    private static PipelinePlan Plan(int jobs)
    {
        var yaml = new StringBuilder("variables: {GLOBAL: one}\n");
        for (var i = 0; i < jobs; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$$"""
                job{{{i}}}:
                  image: {name: "alpine:3", docker: {platform: linux/amd64}}
                  services: [{name: "postgres:16", alias: db}]
                  cache: {key: deps, paths: [vendor/]}
                  artifacts: {paths: [out/], reports: {junit: report.xml}, expire_in: 1 week}
                  variables: {JOB: "{{{i}}}"}
                  tags: [docker]
                  script: [echo {{{i}}}]

                """);
        }

        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(yaml.ToString()), new PipelineContext { Ref = "main" }));
        return result.Plan ?? throw new InvalidOperationException("the generated pipeline did not compile: " + string.Join("; ", result.Diagnostics));
    }
}

using Relais.Engine.Tests.Support;
using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Engine.Tests;

/// <summary>
/// Random plans driven by random events (fixed seeds, so failures replay): whatever happens, the engine never
/// throws, every job keeps exactly one current attempt, the pipeline's status is the composite of its jobs,
/// queued jobs were announced with <see cref="EnqueueJob"/>, and every pipeline can be brought to an end.
/// </summary>
public class InvariantTests
{
    private static readonly JobWhen[] Whens = [JobWhen.OnSuccess, JobWhen.OnSuccess, JobWhen.OnSuccess, JobWhen.OnFailure, JobWhen.Always, JobWhen.Manual, JobWhen.Delayed];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_runs_keep_the_invariants(int seed)
    {
        var random = new Random(seed);
        var run = new PipelineRun(RandomPlan(random));
        for (var i = 0; i < 60; i++)
        {
            run.Clock.Advance(TimeSpan.FromSeconds(random.Next(0, 40)));
            run.TryApply(at => RandomEvent(random, run.State, at));
            CheckInvariants(run);
        }

        Drain(run);
        Assert.True(run.Status.IsCompleted() || run.Status == CiStatus.Manual, $"seed {seed} ended {run.Status}: {run.Jobs()}");
    }

    private static PipelinePlan RandomPlan(Random random)
    {
        var builder = new PlanBuilder();
        var names = new List<string>();
        var stages = new[] { "build", "test", "deploy" };
        var count = random.Next(1, 8);
        var stage = 0;
        for (var i = 0; i < count; i++)
        {
            stage = Math.Min(stages.Length - 1, stage + random.Next(2)); // needs point to the same or earlier stages, as the compiler requires
            var name = $"j{i}";
            var when = Whens[random.Next(Whens.Length)];
            var needs = random.Next(3) == 0 ? names.Where(_ => random.Next(2) == 0).ToArray() : null;
            var allow = random.Next(4) == 0 || (when == JobWhen.Manual && random.Next(2) == 0);
            builder.Job(name, stages[stage], j => j with
            {
                When = when,
                StartIn = when == JobWhen.Delayed ? TimeSpan.FromSeconds(30) : null,
                AllowFailure = allow,
                Needs = needs is null ? null : PlanBuilder.Needs(needs),
                Retry = random.Next(3) == 0 ? new RetryPlan(random.Next(1, 3), ["always"], []) : RetryPlan.None,
                Interruptible = random.Next(2) == 0,
                ResourceGroup = random.Next(5) == 0 ? "group" : null,
                Timeout = random.Next(3) == 0 ? TimeSpan.FromSeconds(20) : null,
            });
            names.Add(name);
        }

        return builder.Build();
    }

    private static PipelineEvent RandomEvent(Random random, PipelineState state, DateTimeOffset at)
    {
        var job = state.CurrentJobs.ElementAt(random.Next(state.CurrentJobs.Count()));
        return random.Next(14) switch
        {
            0 or 1 => new JobStarted(at, job.Name, job.Attempt),
            2 or 3 => JobFinished.Success(at, job.Name, job.Attempt),
            4 => JobFinished.Failure(at, job.Name, job.Attempt, FailureReasons.ScriptFailure, random.Next(0, 3)),
            5 => new RunnerLost(at, job.Name, job.Attempt),
            6 => new ManualJobPlayed(at, job.Name),
            7 => new RetryRequested(at, job.Name),
            8 => new JobCanceled(at, job.Name, job.Attempt),
            9 => new ResourceGranted(at, job.Name, job.Attempt),
            10 => new TimePassed(at),
            11 => random.Next(4) == 0 ? new PipelineCancelRequested(at) : new JobCancelRequested(at, job.Name),
            12 => new AutoCancelRequested(at, 99),
            _ => new PipelineRetryRequested(at),
        };
    }

    private static void CheckInvariants(PipelineRun run)
    {
        var state = run.State;
        Assert.Equal(state.Plan.Jobs.Length, state.CurrentJobs.Count());
        Assert.Equal(state.Plan.Jobs.Select(j => j.Name), state.CurrentJobs.Select(j => j.Name));
        Assert.Equal(CompositeStatus.Of(state.CurrentJobs, dag: false), state.Status);
        foreach (var job in state.Jobs.Where(j => j.Status == CiStatus.Pending))
        {
            Assert.Contains(new EnqueueJob(job.Name, job.Attempt), run.Effects);
        }

        foreach (var name in state.Plan.Jobs.Select(j => j.Name))
        {
            var attempts = state.Attempts(name).Select(a => a.Attempt).ToList();
            Assert.Equal(Enumerable.Range(1, attempts.Count), attempts);
        }
    }

    // Let everything finish: grant, start and pass whatever waits, and let time run out.
    private static void Drain(PipelineRun run)
    {
        for (var i = 0; i < 200 && !run.Status.IsCompleted() && run.Status != CiStatus.Manual; i++)
        {
            run.Clock.Advance(TimeSpan.FromMinutes(30));
            run.TryApply(at => new TimePassed(at));
            foreach (var job in run.State.CurrentJobs.ToList())
            {
                PipelineEvent? e = job.Status switch
                {
                    CiStatus.WaitingForResource => new ResourceGranted(run.Clock.Now, job.Name, job.Attempt),
                    CiStatus.Pending => new JobStarted(run.Clock.Now, job.Name, job.Attempt),
                    CiStatus.Running => JobFinished.Success(run.Clock.Now, job.Name, job.Attempt),
                    CiStatus.Canceling => new JobCanceled(run.Clock.Now, job.Name, job.Attempt),
                    _ => null,
                };
                if (e is not null)
                {
                    run.TryApply(_ => e);
                }
            }
        }
    }
}

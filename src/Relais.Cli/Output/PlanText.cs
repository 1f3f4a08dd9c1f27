using Relais.Pipelines;
using Relais.Pipelines.Plan;

namespace Relais.Cli.Output;

/// <summary>The human view of a plan: each stage with its jobs, when they run, whether they may fail, and their needs.</summary>
internal static class PlanText
{
    public static void Write(TextWriter w, CompileResult result, string describe, Terminal term)
    {
        var plan = result.Plan!;
        var stagesUsed = plan.Stages.Where(s => plan.Jobs.Any(j => j.Stage == s)).ToList();
        var title = plan.Name is null ? "" : $" “{plan.Name}”";
        w.WriteLine(term.Bold($"Pipeline{title} for {describe}: {plan.Jobs.Length} job(s) in {stagesUsed.Count} stage(s)"));
        var width = Math.Min(48, plan.Jobs.Select(j => j.Name.Length).DefaultIfEmpty(10).Max() + 2);
        foreach (var stage in stagesUsed)
        {
            w.WriteLine();
            w.WriteLine(term.Bold(stage));
            foreach (var job in plan.Jobs.Where(j => j.Stage == stage))
            {
                w.WriteLine("  " + job.Name.PadRight(width) + Describe(job, term));
            }
        }

        var excluded = result.Decisions.Count(d => !d.Included);
        if (excluded > 0)
        {
            w.WriteLine();
            w.WriteLine(term.Dim($"{excluded} job(s) not in this pipeline: {string.Join(", ", result.Decisions.Where(d => !d.Included).Select(d => d.Job).Take(12))}{(excluded > 12 ? ", …" : "")} (see --explain JOB)"));
        }
    }

    private static string Describe(JobPlan job, Terminal term)
    {
        var parts = new List<string> { When(job) };
        if (job.AllowFailure)
        {
            parts.Add(term.Yellow("allow_failure"));
        }
        else if (!job.AllowFailureExitCodes.IsEmpty)
        {
            parts.Add(term.Yellow($"allow_failure on exit {string.Join(", ", job.AllowFailureExitCodes)}"));
        }

        if (job.Needs is { } needs)
        {
            parts.Add(needs.IsEmpty ? "needs: [] (starts at once)" : "needs: " + string.Join(", ", needs.Select(n => n.Optional ? n.Job + "?" : n.Job)));
        }

        if (job.Trigger is not null)
        {
            parts.Add("trigger");
        }

        return string.Join("  ", parts);
    }

    public static string When(JobPlan job) => job.When switch
    {
        JobWhen.OnFailure => "on_failure",
        JobWhen.Always => "always",
        JobWhen.Manual => "manual",
        JobWhen.Delayed => $"delayed ({job.StartIn})",
        _ => "on_success",
    };
}

using Relais.Pipelines;

namespace Relais.Cli.Output;

/// <summary><c>relais plan --explain JOB</c>: whether the job runs, the clause that decided, and every value compared on the way.</summary>
internal static class ExplainText
{
    public static int Write(TextWriter stdout, TextWriter stderr, CompileResult result, string job, string describe, Terminal term)
    {
        var decision = result.Decisions.FirstOrDefault(d => d.Job == job)
            ?? result.Decisions.FirstOrDefault(d => result.Plan?.Jobs.Any(j => j.Name == job && j.BaseName == d.Job) == true);
        if (decision is null)
        {
            stderr.WriteLine($"relais plan: there is no job `{job}`. The jobs are: {string.Join(", ", result.Decisions.Select(d => d.Job))}");
            return 2;
        }

        stdout.WriteLine(term.Bold($"{decision.Job}: ") + (decision.Included ? term.Green("runs") : term.Yellow("does not run")) + $" in a pipeline for {describe}");
        stdout.WriteLine($"  because {decision.Reason}" + (decision.Location.IsNone ? "" : $" ({decision.Location})"));
        if (!result.Workflow.Reason.StartsWith("no workflow", StringComparison.Ordinal))
        {
            stdout.WriteLine($"  workflow: {result.Workflow.Reason}");
        }

        foreach (var step in decision.Steps)
        {
            stdout.WriteLine("  - " + step);
        }

        foreach (var planned in result.Plan?.Jobs.Where(j => j.BaseName == decision.Job) ?? [])
        {
            stdout.WriteLine($"  → {planned.Name}: stage {planned.Stage}, when {PlanText.When(planned)}{(planned.AllowFailure ? ", allow_failure" : "")}");
        }

        return 0;
    }
}

using static Relais.Bench.Gen.YamlText;

namespace Relais.Bench.Gen;

/// <summary>The keyword writers the job writers share: extends, variables, parallel:matrix, environment, needs.</summary>
internal sealed partial class BigPipeline
{
    private static YamlText Extends(YamlText y, string first, string? second = null) =>
        y.Line(1, second is null ? "extends: " + first : $"extends: [{first}, {second}]");

    private void Vars(YamlText y, Component c, params (string Key, string Value)[] extra)
    {
        y.Line(1, "variables:").Line(2, "COMPONENT: " + c.Name);
        foreach (var (k, v) in extra)
        {
            y.Line(2, $"{k}: {Q(v)}");
        }

        if (_rng.NextDouble() < 0.2)
        {
            y.Line(2, "LOG_LEVEL: debug");
        }
    }

    private void Matrix(YamlText y, int instances, params string[] axes)
    {
        y.Line(1, "parallel:").Line(2, "matrix:");
        for (var i = 0; i < axes.Length; i++)
        {
            y.Line(3, (i == 0 ? "- " : "  ") + axes[i]);
        }

        _expanded += instances - 1;
    }

    private static void Environment(YamlText y, string env, Component c, string tier) =>
        y.Line(1, "environment:")
         .Line(2, $"name: {env}/{c.Name}")
         .Line(2, $"url: https://{c.Name}.{env}.example.com")
         .Line(2, "deployment_tier: " + tier);

    private Component? OtherBuild(Component c, List<Component> all)
    {
        if (all.Count < 2 || _rng.NextDouble() >= 0.3)
        {
            return null;
        }

        var other = all[_rng.Next(all.Count)];
        return other == c ? null : other;
    }

    /// <summary>Writes <c>needs</c>: between <paramref name="min"/> and <paramref name="max"/> needable jobs of the same service in earlier stages.</summary>
    private void Needs(YamlText y, List<Job> jobs, Job job, int min, int max, Component? crossComponent = null)
    {
        var candidates = jobs.Where(j => j.Stage < job.Stage && j.Needable).ToList();
        var n = Math.Min(candidates.Count, _rng.Next(min, max + 1));
        if (n == 0 && crossComponent is null)
        {
            return;
        }

        // Prefer the nearest stages, as real pipelines do (a test needs its build, not the deps job).
        var picked = candidates.OrderByDescending(j => j.Stage * 100 + _rng.Next(100)).Take(n).OrderBy(j => jobs.IndexOf(j));
        y.Line(1, "needs:");
        foreach (var p in picked)
        {
            if (_rng.NextDouble() < 0.2)
            {
                y.Line(2, "- job: " + Q(p.Name)).Line(3, "artifacts: false");
            }
            else
            {
                y.Line(2, "- " + Q(p.Name));
            }
        }

        if (crossComponent is not null)
        {
            y.Line(2, "- job: " + Q(crossComponent.Name + ":build")).Line(3, "optional: true");
        }
    }
}

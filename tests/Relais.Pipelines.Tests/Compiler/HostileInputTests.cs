using System.Diagnostics;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

/// <summary>Hostile configurations end in a clear error, quickly, and never in an exception.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void A_huge_file_is_refused_before_parsing()
    {
        var huge = "job:\n  script:\n" + string.Concat(Enumerable.Repeat("    - echo 0123456789012345678901234567890123456789\n", 120_000));
        Assert.Contains("KiB", Compile(huge).Error("yaml-too-large").Message);
    }

    [Fact]
    public void A_matrix_of_more_than_200_jobs_is_refused_without_expanding_it()
    {
        var yaml = "job:\n  script: x\n  parallel:\n    matrix:\n      - A: [" + string.Join(",", Enumerable.Range(0, 1000)) + "]\n        B: [" + string.Join(",", Enumerable.Range(0, 1000)) + "]\n";
        var watch = Stopwatch.StartNew();
        Compile(yaml).Error("parallel-too-many");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void References_that_fan_out_stay_bounded()
    {
        var yaml = ".r0: { script: [x] }\n" + string.Join("\n", Enumerable.Range(1, 30).Select(i =>
            $".r{i}:\n  script:\n    - !reference [.r{i - 1}, script]\n    - !reference [.r{i - 1}, script]")) + "\njob:\n  script: !reference [.r30, script]\n";
        var watch = Stopwatch.StartNew();
        Compile(yaml).Error("reference-depth");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Mutated_configurations_never_throw()
    {
        const string sample = """
            include: [{ local: other.yml, rules: [{ if: $X }] }]
            workflow: { rules: [{ if: '$CI_COMMIT_BRANCH', variables: { W: w } }] }
            .base: &b { image: ruby, variables: { A: a }, script: [echo] }
            build: { <<: *b, stage: build, parallel: { matrix: [{ OS: [a, b] }] } }
            test: { extends: .base, needs: [{ job: build, parallel: { matrix: [{ OS: a }] } }], rules: [{ changes: [src/*] }] }
            deploy: { stage: deploy, script: !reference [.base, script], only: [main], when: manual, retry: { max: 2, when: [script_failure] } }
            """;
        var random = new Random(99);
        const string noise = "[]{}:,-&*!|>'\"#$\n .";
        for (var i = 0; i < 1500; i++)
        {
            var chars = sample.ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = noise[random.Next(noise.Length)];
            }

            var result = Compile(new Dictionary<string, string> { [".gitlab-ci.yml"] = new string(chars), ["other.yml"] = "o: { script: x }\n" });
            Assert.True(result.Plan is not null || result.HasErrors || !result.Workflow.Created);
        }
    }
}

using System.Diagnostics;
using System.Text;
using Relais.Pipelines.Expressions;
using Relais.Pipelines.Tests.Compiler;
using Xunit.Abstractions;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Hostile;

/// <summary>
/// Issue #12, item 4: user regexes (<c>rules:if</c>, <c>only/except</c> refs, <c>spec:inputs</c> <c>regex</c>)
/// run in linear time, compiled once; what the linear engine cannot keep exact is a compile error.
/// </summary>
public sealed class CatastrophicRegexTests(ITestOutputHelper output)
{
    private static readonly string Catastrophic = new string('a', 30) + "!";

    [Fact]
    public void A_nested_quantifier_against_a_near_miss_answers_at_once_without_a_timeout()
    {
        Assert.True(CiRegex.TryParse("/(a+)+$/", out var regex, out var error), error);
        regex.IsMatch("warm-up");
        var cpu = CpuMilliseconds(() => Assert.False(regex.IsMatch(Catastrophic)));
        output.WriteLine($"one evaluation of /(a+)+$/ on 30 a's and '!': {cpu:F1} ms CPU");
        Assert.True(cpu < 50, $"took {cpu} ms of CPU (the old backtracking engine gave up after 200 ms)");
    }

    [Fact]
    public void The_catastrophic_push_fifty_jobs_times_parallel_200_compiles_in_under_two_seconds_of_CPU()
    {
        // Fails fast on a backtracking engine (else this test would run for half an hour).
        Assert.True(CiExpression.TryParse("$X =~ /(a+)+$/", out var rule, out _));
        Assert.True(CpuMilliseconds(() => rule!.Evaluate(name => name == "X" ? Catastrophic : null)) < 50);

        var yaml = new StringBuilder($"variables:\n  X: \"{Catastrophic}\"\n");
        for (var job = 0; job < 50; job++)
        {
            yaml.Append($"job{job}:\n  script: x\n  parallel: 200\n  rules:\n    - if: '$X =~ /(a+)+$/'\n      when: never\n    - when: on_success\n");
        }

        CompileResult? result = null;
        var cpu = CpuMilliseconds(() => result = Compile(yaml.ToString()));
        output.WriteLine($"50 jobs x parallel: 200 with rules:if /(a+)+$/: {cpu:F0} ms CPU (process), {result!.Plan?.Jobs.Length} jobs");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(10_000, result.Plan!.Jobs.Length);
        Assert.True(cpu < 2_000, $"took {cpu} ms of CPU");
    }

    [Theory]
    [InlineData("/\\bé/", "`\\b`/`\\B`")]
    [InlineData("/\\bk\\b/i", "`\\b`/`\\B`")]
    [InlineData("/\\p{Greek}\\B/", "`\\b`/`\\B`")]
    [InlineData("/(a{100}){100}/", "too large for linear-time matching")]
    [InlineData("/(?P<a-b>x)/", "invalid named capture group")]
    [InlineData("/(?=x)/", "lookahead")]
    public void A_pattern_the_linear_engine_cannot_keep_exact_fails_the_pipeline_at_its_line(string pattern, string message)
    {
        var result = Compile($"other: {{ script: x }}\njob:\n  script: x\n  rules:\n    - if: '$CI_COMMIT_REF_NAME =~ {pattern}'\n");
        var error = result.Error("bad-expression");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(5, error.Location.Line);
    }

    [Fact]
    public void A_pattern_past_the_size_cap_is_refused()
    {
        var pattern = "/" + new string('a', CiRegex.MaxPatternLength + 1) + "/";
        Assert.False(CiRegex.TryParse(pattern, out _, out var error));
        Assert.Contains("longer than", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/\\bx/", "\u0663x", true)]
    [InlineData("/\\bx/", "éx", true)]
    [InlineData("/x\\B/", "xé", false)]
    [InlineData("/\\bfoo\\b/i", "é FOO é", true)]
    [InlineData("/^.x\\b/", "éx€", true)]
    [InlineData("/[^a]\\b/", "éa", true)]
    public void ASCII_word_boundaries_stay_exact_on_non_ASCII_text(string pattern, string input, bool expected)
    {
        Assert.True(CiRegex.TryParse(pattern, out var regex, out var error), error);
        Assert.Equal(expected, regex.IsMatch(input));
    }

    [Fact]
    public void A_catastrophic_only_refs_regex_answers_at_once_and_a_bad_one_is_an_error()
    {
        var refName = new string('a', 30) + "!";
        var cpu = CpuMilliseconds(() => Assert.Empty(PlanOf("other: { script: x }\njob: { script: x, only: ['/(a+)+$/'] }\n", Branch(refName)).Jobs.Where(j => j.Name == "job")));
        Assert.True(cpu < 1_000, $"took {cpu} ms of CPU");

        var error = Compile("other: { script: x }\njob: { script: x, only: { refs: ['/\\bé/'] } }\n").Error("bad-regex");
        Assert.Contains("`\\b`/`\\B`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catastrophic_spec_inputs_regex_answers_at_once_and_a_bad_one_is_an_error()
    {
        var files = new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = $"include:\n  - local: t.yml\n    inputs: {{ name: \"{Catastrophic}\" }}\nother: {{ script: x }}\n",
            ["t.yml"] = "spec:\n  inputs:\n    name: { regex: '^(a+)+$' }\n---\njob: { script: [\"$[[ inputs.name ]]\"] }\n",
        };
        CompileResult? result = null;
        var cpu = CpuMilliseconds(() => result = Compile(files));
        Assert.True(cpu < 1_000, $"took {cpu} ms of CPU");
        result!.Error("inputs-regex");

        files["t.yml"] = "spec:\n  inputs:\n    name: { regex: '(?<=a)b' }\n---\njob: { script: [\"$[[ inputs.name ]]\"] }\n";
        Assert.Contains("invalid regular expression", Compile(files).Error("inputs-regex").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coverage_regex_RE2_or_the_linear_engine_refuses_fails_the_pipeline()
    {
        var result = Compile("job:\n  script: x\n  coverage: '/(?<=Total: )\\d+%/'\n");
        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("coverage: is not a valid regular expression: lookahead and lookbehind", StringComparison.Ordinal));
        Assert.False(Compile("job:\n  script: x\n  coverage: '/Total: \\d+(\\.\\d+)?%/'\n").HasErrors);
    }

    [Fact]
    public void A_duration_of_a_long_digit_run_is_read_in_linear_time()
    {
        var text = new string('9', 20_000) + "x";
        var cpu = CpuMilliseconds(() => Assert.Null(Relais.Pipelines.Build.Durations.Parse(text)));
        Assert.True(cpu < 500, $"took {cpu} ms of CPU (a backtracking scan is quadratic here: seconds)");
        Assert.Equal(TimeSpan.FromMinutes(90), Relais.Pipelines.Build.Durations.Parse("1h 30m"));
    }

    private static double CpuMilliseconds(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }
}

using System.Diagnostics;
using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

/// <summary>
/// Guards against gross slowdowns only: the bounds are ~20× the times measured on a busy two-core machine,
/// so they hold under load and still fail for accidental per-evaluation work (compiling a regex, re-parsing).
/// </summary>
public sealed class CiExpressionPerformanceTests
{
    [Fact]
    public void A_thousand_jobs_worth_of_cached_rules_evaluate_in_milliseconds()
    {
        string[] rules =
        [
            "$CI_PIPELINE_SOURCE == \"merge_request_event\"",
            "$CI_COMMIT_BRANCH =~ /^feature\\/.*$/ && $CI_PIPELINE_SOURCE != \"schedule\"",
            "$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/ || $DEPLOY == \"true\"",
        ];
        var clock = Stopwatch.StartNew();
        var held = 0;
        for (var job = 0; job < 1_000; job++)
        {
            foreach (var rule in rules)
            {
                held += CiExpression.Parse(rule).Evaluate(ExpressionTestVariables.Lookup) ? 1 : 0;
            }
        }

        Assert.Equal(2_000, held); // the first two rules hold for these variables
        Assert.True(clock.ElapsedMilliseconds < 100, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Three_thousand_distinct_expressions_with_their_own_patterns_parse_well_under_a_second()
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3_000; i++)
        {
            Assert.True(CiExpression.TryParse($"$CI_COMMIT_BRANCH =~ /^perf-{i}\\/.*$/ && $JOB_{i} != \"skip\"", out _, out _));
        }

        Assert.True(clock.ElapsedMilliseconds < 1_500, $"took {clock.ElapsedMilliseconds} ms");
    }
}

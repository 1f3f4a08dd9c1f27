using System.Diagnostics;
using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

/// <summary>
/// Guards against gross slowdowns only: after a warm-up, the best of a few rounds must stay within
/// ~20× what a busy two-core machine measures, so the tests hold under load and still fail for accidental
/// per-evaluation work (compiling a regex, re-parsing, a lock per cache lookup).
/// </summary>
public sealed class CiExpressionPerformanceTests
{
    private static readonly string[] Rules =
    [
        "$CI_PIPELINE_SOURCE == \"merge_request_event\"",
        "$CI_COMMIT_BRANCH =~ /^feature\\/.*$/ && $CI_PIPELINE_SOURCE != \"schedule\"",
        "$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/ || $DEPLOY == \"true\"",
    ];

    [Fact]
    public void A_thousand_jobs_worth_of_cached_rules_evaluate_in_milliseconds()
    {
        var held = EvaluateThousandJobs();
        Assert.Equal(2_000, held); // the first two rules hold for these variables

        var best = BestOf(3, () => EvaluateThousandJobs());
        Assert.True(best < 100, $"took {best} ms");
    }

    [Fact]
    public void Three_thousand_distinct_expressions_with_their_own_patterns_parse_well_under_a_second()
    {
        var round = 0;
        ParseDistinct(round++, 50);
        var best = BestOf(3, () => ParseDistinct(round++, 3_000));
        Assert.True(best < 1_500, $"took {best} ms");
    }

    private static int EvaluateThousandJobs()
    {
        var held = 0;
        for (var job = 0; job < 1_000; job++)
        {
            foreach (var rule in Rules)
            {
                held += CiExpression.Parse(rule).Evaluate(ExpressionTestVariables.Lookup) ? 1 : 0;
            }
        }

        return held;
    }

    private static void ParseDistinct(int round, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(CiExpression.TryParse($"$CI_COMMIT_BRANCH =~ /^perf-{round}-{i}\\/.*$/ && $JOB_{i} != \"skip\"", out _, out _));
        }
    }

    private static long BestOf(int rounds, Action action)
    {
        var best = long.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.ElapsedMilliseconds);
        }

        return best;
    }
}

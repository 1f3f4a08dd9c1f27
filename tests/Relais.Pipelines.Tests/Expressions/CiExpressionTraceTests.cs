using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class CiExpressionTraceTests
{
    private static ExpressionTrace Trace(string text, Func<string, bool>? isMasked = null) =>
        CiExpression.Parse(text).EvaluateWithTrace(ExpressionTestVariables.Lookup, isMasked);

    [Fact]
    public void A_comparison_shows_the_values_compared()
    {
        var trace = Trace("$CI_COMMIT_BRANCH == \"main\"");
        Assert.False(trace.Result);
        Assert.Equal(["$CI_COMMIT_BRANCH (\"feature/x\") == \"main\" → false"], trace.Steps);
    }

    [Fact]
    public void A_lone_variable_says_whether_it_is_present()
    {
        Assert.Equal(["$CI_COMMIT_TAG (undefined) is null → false"], Trace("$CI_COMMIT_TAG").Steps);
        Assert.Equal(["$EMPTY (\"\") is blank → false"], Trace("$EMPTY").Steps);
        Assert.Equal(["$PRESENT (\"my variable\") is present → true"], Trace("$PRESENT").Steps);
    }

    [Fact]
    public void Logical_operators_show_their_operands_and_short_circuits()
    {
        var trace = Trace("$CI_COMMIT_BRANCH == \"main\" && $DEPLOY || $CI_PIPELINE_SOURCE =~ /^merge/");
        Assert.True(trace.Result);
        Assert.Equal(
            [
                "$CI_COMMIT_BRANCH (\"feature/x\") == \"main\" → false",
                "($CI_COMMIT_BRANCH == \"main\") && … → false (right side not evaluated)",
                "$CI_PIPELINE_SOURCE (\"merge_request_event\") =~ /^merge/ → true",
                "($CI_COMMIT_BRANCH == \"main\" && $DEPLOY) || ($CI_PIPELINE_SOURCE =~ /^merge/) → true",
            ],
            trace.Steps);
    }

    [Fact]
    public void A_value_result_ends_with_the_truthiness_verdict()
    {
        var trace = Trace("$EMPTY || $PRESENT");
        Assert.False(trace.Result);
        Assert.Equal(
            ["$EMPTY (\"\") || … → \"\" (right side not evaluated)", "result \"\" is blank → false"],
            trace.Steps);
    }

    [Fact]
    public void Rendering_keeps_the_grouping()
    {
        var trace = Trace("($A || $B) && ($C || $PRESENT)");
        Assert.Equal("($A || $B) && … → null (right side not evaluated)", trace.Steps[^2]);
    }

    [Fact]
    public void Masked_values_are_not_shown()
    {
        var trace = Trace("$PRESENT == \"x\" || $PRESENT", name => name == "PRESENT");
        Assert.Equal("$PRESENT ([masked]) == \"x\" → false", trace.Steps[0]);
        Assert.Equal("($PRESENT == \"x\") || $PRESENT ([masked]) → [masked]", trace.Steps[1]);
        Assert.Equal("result [masked] is present → true", trace.Steps[2]);
        Assert.DoesNotContain(trace.Steps, step => step.Contains("my variable", StringComparison.Ordinal));
    }

    [Fact]
    public void Trace_and_plain_evaluation_agree()
    {
        foreach (var text in new[] { "$PRESENT", "$EMPTY && $PRESENT", "$A =~ /xy/ || $TEST_STRING =~ $PATTERN_AB", "null" })
        {
            var expression = CiExpression.Parse(text);
            Assert.Equal(expression.Evaluate(ExpressionTestVariables.Lookup), expression.EvaluateWithTrace(ExpressionTestVariables.Lookup).Result);
        }
    }
}

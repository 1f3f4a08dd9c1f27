using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class CiExpressionEvaluationTests
{
    private static bool Evaluate(string text) =>
        CiExpression.Parse(text).Evaluate(ExpressionTestVariables.Lookup);

    private static string ValueOf(string text) =>
        CiExpression.Parse(text).EvaluateValue(ExpressionTestVariables.Lookup).Display();

    [Theory]
    [InlineData("$PRESENT == \"my variable\"", true)]
    [InlineData("\"my variable\" == $PRESENT", true)]
    [InlineData("$PRESENT == 'my variable'", true)]
    [InlineData("$PRESENT != \"my variable\"", false)]
    [InlineData("$PRESENT == \"other\"", false)]
    [InlineData("$PRESENT != \"other\"", true)]
    [InlineData("'a' == \"a\"", true)]
    [InlineData("\"\" == ''", true)]
    [InlineData("$CI_COMMIT_BRANCH == $CI_COMMIT_REF_NAME", true)]
    [InlineData("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", false)]
    [InlineData("$CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH", true)]
    [InlineData("$UNDEFINED == $ALSO_UNDEFINED", true)]
    public void Equality_compares_strings_and_variables(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$UNDEFINED == null", true)]
    [InlineData("null == $UNDEFINED", true)]
    [InlineData("$UNDEFINED != null", false)]
    [InlineData("$PRESENT == null", false)]
    [InlineData("$PRESENT != null", true)]
    [InlineData("$EMPTY == null", false)]
    [InlineData("$EMPTY != null", true)]
    [InlineData("\"\" == $EMPTY", true)]
    [InlineData("$EMPTY == $UNDEFINED", false)]
    [InlineData("null", false)]
    [InlineData("null == null", true)]
    public void Undefined_is_null_and_empty_is_not(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$PRESENT", true)]
    [InlineData("$UNDEFINED", false)]
    [InlineData("$EMPTY", false)]
    [InlineData("$BLANK", false)]
    [InlineData("\"text\"", true)]
    [InlineData("\"\"", false)]
    [InlineData("/anything/", true)]
    public void A_lone_value_holds_when_present(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("true == true", true)]
    [InlineData("true != false", true)]
    [InlineData("$TRUE_STRING == true", false)]
    [InlineData("\"true\" == true", false)]
    [InlineData("\"a\" == \"a\" == true", true)]
    [InlineData("\"a\" == \"a\" == \"a\"", false)]
    public void Booleans_are_their_own_kind(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$PRESENT && \"string\"", "\"string\"")]
    [InlineData("$PRESENT && $EMPTY", "\"\"")]
    [InlineData("$PRESENT && null", "null")]
    [InlineData("$PRESENT && $UNDEFINED", "null")]
    [InlineData("null && $PRESENT", "null")]
    [InlineData("$UNDEFINED && $EMPTY", "null")]
    [InlineData("$EMPTY && $PRESENT", "\"my variable\"")]
    [InlineData("$EMPTY && \"string\"", "\"string\"")]
    [InlineData("\"string\" && $EMPTY", "\"\"")]
    [InlineData("$PRESENT || $UNDEFINED", "\"my variable\"")]
    [InlineData("$UNDEFINED || $PRESENT", "\"my variable\"")]
    [InlineData("$EMPTY || $PRESENT", "\"\"")]
    [InlineData("$PRESENT || $UNDEFINED == null", "\"my variable\"")]
    [InlineData("$UNDEFINED == null || $PRESENT", "true")]
    [InlineData("$EMPTY == \"\" && $PRESENT", "\"my variable\"")]
    public void Logical_operators_return_an_operand_as_Ruby_does(string text, string expected) =>
        Assert.Equal(expected, ValueOf(text));

    [Theory]
    [InlineData("$EMPTY && $PRESENT", true)]
    [InlineData("$EMPTY || $PRESENT", false)]
    [InlineData("$PRESENT && $EMPTY", false)]
    [InlineData("$UNDEFINED || $PRESENT", true)]
    public void Empty_strings_are_truthy_inside_and_blank_at_the_end(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("true || false && false", true)]
    [InlineData("(true || false) && false", false)]
    [InlineData("\"a\" == \"a\" || \"a\" == \"b\" && \"c\" == \"d\"", true)]
    [InlineData("(\"a\" == \"a\" || \"a\" == \"b\") && \"c\" == \"d\"", false)]
    [InlineData("$PRESENT && null || $EMPTY == \"\"", true)]
    [InlineData("$EMPTY == \"\" || $PRESENT", true)]
    [InlineData("$PRESENT != \"nope\" || $EMPTY == \"\"", true)]
    [InlineData("$EMPTY == \"\" && $PRESENT != \"nope\"", true)]
    [InlineData("$PRESENT =~ /my var/ && $EMPTY =~ /nope/", false)]
    [InlineData("$PRESENT =~ /my var/ || $EMPTY =~ /nope/", true)]
    public void And_binds_tighter_than_or_and_comparisons_tighter_than_both(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("($PRESENT)", "\"my variable\"")]
    [InlineData("(($PRESENT))", "\"my variable\"")]
    [InlineData("(($PRESENT && null) || $EMPTY == \"\")", "true")]
    [InlineData("($PRESENT) && (null || $EMPTY == \"\")", "true")]
    [InlineData("(\"string\" || \"test\") == \"string\"", "true")]
    [InlineData("(null || (\"test\" == \"string\"))", "false")]
    [InlineData("(\"string\" == (\"test\" && \"string\"))", "true")]
    [InlineData("(\"string\" == (\"test\" || \"string\"))", "false")]
    [InlineData("(\"string\" == \"test\" || \"string\")", "\"string\"")]
    [InlineData("(\"string\" == (\"string\" || ((\"1\" == \"1\") && (\"2\" == \"3\"))))", "true")]
    public void Parentheses_group(string text, string expected) =>
        Assert.Equal(expected, ValueOf(text));

    [Theory]
    [InlineData("$CI_PIPELINE_SOURCE == \"merge_request_event\"", true)]
    [InlineData("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", false)]
    [InlineData("$CI_COMMIT_TAG", false)]
    [InlineData("$CI_COMMIT_BRANCH =~ /^feature/ && $CI_PIPELINE_SOURCE != \"schedule\"", true)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /skip e2e/", true)]
    [InlineData("$CI_COMMIT_MESSAGE !~ /skip e2e/", false)]
    [InlineData("($CI_COMMIT_BRANCH == \"main\" || $CI_COMMIT_BRANCH == \"develop\") && $MY_VARIABLE", false)]
    [InlineData("$CI_PIPELINE_SOURCE == \"merge_request_event\" && $CI_COMMIT_BRANCH =~ /^feature\\//", true)]
    [InlineData("$CI_COMMIT_REF_NAME =~ /^release-.*$/", false)]
    public void Examples_in_the_style_of_GitLabs_documentation(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Fact]
    public void Odd_operator_placement_that_GitLab_accepts_means_the_same()
    {
        Assert.True(Evaluate("$PRESENT \"my variable\" =="));
        Assert.True(Evaluate("== $PRESENT \"my variable\""));
        Assert.True(Evaluate("() $PRESENT"));
    }

    [Fact]
    public void One_parse_evaluates_against_many_variable_sets()
    {
        var expression = CiExpression.Parse("$CI_COMMIT_BRANCH == \"main\"");
        Assert.True(expression.Evaluate(name => name == "CI_COMMIT_BRANCH" ? "main" : null));
        Assert.False(expression.Evaluate(name => name == "CI_COMMIT_BRANCH" ? "dev" : null));
        Assert.False(expression.Evaluate(_ => null));
    }

    [Fact]
    public void Parses_are_cached_by_text()
    {
        Assert.Same(CiExpression.Parse("$A == \"cached\""), CiExpression.Parse("$A == \"cached\""));
    }

    [Fact]
    public void Lists_the_variables_it_reads_once_each_in_order()
    {
        var expression = CiExpression.Parse("$B == $A || $B =~ /x.y/ && $C_1");
        Assert.Equal(["B", "A", "C_1"], expression.VariableNames);
    }
}

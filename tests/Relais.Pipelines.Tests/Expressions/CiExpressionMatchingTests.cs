using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class CiExpressionMatchingTests
{
    private static bool Evaluate(string text) =>
        CiExpression.Parse(text).Evaluate(ExpressionTestVariables.Lookup);

    private static bool Evaluate(string text, string name, string value) =>
        CiExpression.Parse(text).Evaluate(n => n == name ? value : null);

    [Theory]
    [InlineData("$PRESENT =~ /var.*e$/", true)]
    [InlineData("$PRESENT =~ /va\\r.*e$/", false)]
    [InlineData("$PRESENT =~ /^var.*/", false)]
    [InlineData("$PRESENT =~ /VAR.*/", false)]
    [InlineData("$PRESENT =~ /VAR.*/i", true)]
    [InlineData("$EMPTY =~ /var.*/", false)]
    [InlineData("$UNDEFINED =~ /var.*/", false)]
    [InlineData("$PATH =~ /path\\/variable/", true)]
    [InlineData("$FULL_PATH =~ /^\\/a\\/full\\/path\\/variable\\/value$/", true)]
    [InlineData("$PRESENT !~ /var.*e$/", false)]
    [InlineData("$PRESENT !~ /^var.*/", true)]
    [InlineData("$PRESENT !~ /VAR.*/i", false)]
    [InlineData("$EMPTY !~ /var.*/", true)]
    [InlineData("$UNDEFINED !~ /var.*/", true)]
    public void Patterns_match_anywhere_unless_anchored(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$UNDEFINED =~ /^$/", true)]
    [InlineData("$UNDEFINED =~ /.*/", true)]
    [InlineData("$UNDEFINED =~ null", false)]
    [InlineData("$PRESENT =~ $UNDEFINED", false)]
    [InlineData("$PRESENT !~ $UNDEFINED", true)]
    [InlineData("$PRESENT =~ false", false)]
    [InlineData("$PRESENT =~ true", false)]
    public void A_null_text_is_matched_as_empty_and_a_null_pattern_never_matches(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$CI_COMMIT_MESSAGE =~ /^\\[skip e2e\\]$/", false)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /^\\[skip e2e\\]$/m", true)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /build.*skip/", false)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /build.*skip/s", true)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /BUILD.*SKIP/si", true)]
    [InlineData("$TEST_STRING =~ /a.*?e/U", true)]
    [InlineData("$TEST_STRING =~ /(?i)ABC/", true)]
    [InlineData("$CI_COMMIT_MESSAGE =~ /(?m)^\\[skip/", true)]
    public void Flags_i_m_s_and_U_follow_RE2(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Fact]
    public void Dollar_without_m_does_not_match_before_a_final_newline_as_in_RE2()
    {
        Assert.False(Evaluate("$V =~ /abc$/", "V", "abc\n"));
        Assert.True(Evaluate("$V =~ /abc$/m", "V", "abc\n"));
        Assert.True(Evaluate("$V =~ /abc$/", "V", "xabc"));
    }

    [Fact]
    public void Perl_classes_are_ASCII_as_in_RE2()
    {
        Assert.False(Evaluate("$V =~ /^\\d$/", "V", "\u0663"));
        Assert.True(Evaluate("$V =~ /^\\d\\d$/", "V", "42"));
        Assert.False(Evaluate("$V =~ /^\\w+$/", "V", "café"));
        Assert.True(Evaluate("$V =~ /^\\W$/", "V", "é"));
    }

    [Theory]
    [InlineData("$TEST_STRING =~ $PATTERN_AB", true)]
    [InlineData("$TEST_STRING =~ $PATTERN_AT", false)]
    [InlineData("$TEST_STRING !~ $PATTERN_AB", false)]
    [InlineData("$TEST_STRING !~ $PATTERN_AT", true)]
    [InlineData("$TEST_STRING =~ $PATTERN_I", true)]
    [InlineData("$PATH =~ $ESCAPED_SLASH_PATTERN", true)]
    [InlineData("$TEST_STRING =~ $ONE_CHAR_PATTERN", true)]
    [InlineData("$TEST_STRING =~ \"/^ab/\"", true)]
    public void A_string_that_reads_as_a_pattern_is_used_as_one(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("$TEST_STRING =~ \"abcde\"", true)]
    [InlineData("$TEST_STRING =~ $TEST_STRING", true)]
    [InlineData("$WORD =~ $TEST_STRING", true)]
    [InlineData("$TEST_STRING =~ $WORD", false)]
    [InlineData("$TEST_STRING !~ $WORD", true)]
    [InlineData("$TEST_STRING =~ $BAD_PATTERN", false)]
    [InlineData("\"(\" =~ $BAD_PATTERN", true)]
    [InlineData("$EMPTY =~ $WORD", true)]
    public void Any_other_string_on_the_right_matches_when_it_contains_the_left_text(string text, bool expected) =>
        Assert.Equal(expected, Evaluate(text));
}

using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class CiExpressionSyntaxTests
{
    private static ExpressionError ErrorOf(string text)
    {
        Assert.False(CiExpression.TryParse(text, out var expression, out var error));
        Assert.Null(expression);
        return error;
    }

    [Theory]
    [InlineData("$A == )", 7, "unmatched `)` at column 7 in `$A == )`")]
    [InlineData("($A == \"x\"", 1, "unclosed `(` at column 1")]
    [InlineData("$A == (\"x\" || (\"y\")", 7, "unclosed `(` at column 7")]
    [InlineData("$A ==", 4, "`==` at column 4 needs a value on each side")]
    [InlineData("&& $A", 1, "`&&` at column 1 needs a value on each side")]
    [InlineData("$A $B", 4, "missing operator before `$B` at column 4")]
    [InlineData("$A == \"x\" \"y\"", 11, "missing operator before `\"y\"` at column 11")]
    [InlineData("${A} == \"x\"", 1, "without braces")]
    [InlineData("$A == ${B}", 7, "`${…}` is not valid at column 7")]
    [InlineData("!$A", 1, "GitLab has no `!` operator")]
    [InlineData("$A = \"x\"", 4, "compare with `==`")]
    [InlineData("$A & $B", 4, "did you mean `&&`?")]
    [InlineData("$A | $B", 4, "did you mean `||`?")]
    [InlineData("$A == 1", 7, "numbers must be quoted")]
    [InlineData("$A == \"x", 7, "unterminated string starting at column 7")]
    [InlineData("$A == 'x\ny'", 7, "unterminated string")]
    [InlineData("$A =~ /a/", 7, "is not a regular expression")]
    [InlineData("$A =~ //", 7, "is not a regular expression")]
    [InlineData("$A =~ /x\\/", 7, "is not a regular expression")]
    [InlineData("$A == foo", 7, "unexpected `foo` at column 7")]
    [InlineData("$ == \"x\"", 1, "must be followed by a variable name")]
    [InlineData("$[[ inputs.env ]] == \"x\"", 1, "not supported")]
    [InlineData("$A =~ /xy/x", 11, "unexpected `x` at column 11")]
    public void Syntax_errors_say_where_and_what(string text, int column, string message)
    {
        var error = ErrorOf(text);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("()")]
    [InlineData("(())")]
    public void Empty_expressions_are_errors(string text) =>
        Assert.Equal("expression is empty", ErrorOf(text).Message);

    [Theory]
    [InlineData("$A =~ /(x/", "invalid regular expression `/(x/` at column 7")]
    [InlineData("$A =~ /(?=x)y/", "lookahead and lookbehind are not supported")]
    [InlineData("$A =~ /(?<!x)y/", "lookahead and lookbehind are not supported")]
    [InlineData("$A =~ /(x)\\1/", "backreference")]
    [InlineData("$A =~ /x{1001}/", "exceeds RE2's limit of 1000")]
    [InlineData("$A =~ /\\Zx/", "invalid escape `\\Z`")]
    [InlineData("$A =~ /(?x)ab/", "unknown flag `x`")]
    public void Regular_expressions_RE2_rejects_are_syntax_errors(string text, string message) =>
        Assert.Contains(message, ErrorOf(text).Message, StringComparison.Ordinal);

    [Fact]
    public void Ninety_nine_tokens_is_the_most_GitLab_accepts()
    {
        var ninetyNine = "$A" + string.Concat(Enumerable.Repeat(" || $A", 49));
        Assert.True(CiExpression.TryParse(ninetyNine, out _, out _));

        var error = ErrorOf("(" + ninetyNine + ")");
        Assert.Contains("at most 99 tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(("(" + ninetyNine).Length - 1, error.Column); // the 100th token: GitLab's 100th scan
    }

    [Fact]
    public void The_token_limit_is_checked_before_the_grammar()
    {
        var values = string.Join(' ', Enumerable.Repeat("$A", 100));
        Assert.Contains("at most 99 tokens", ErrorOf(values).Message, StringComparison.Ordinal);
        Assert.Contains("missing operator", ErrorOf(string.Join(' ', Enumerable.Repeat("$A", 99))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$A==\"x\"")]
    [InlineData("\t$A\n==\r\n'x' ")]
    [InlineData("($A)==(\"x\")")]
    [InlineData("$A=~/x.y/")]
    [InlineData("null==$A")]
    [InlineData("true==$A")]
    [InlineData("$A =~ /some .* \\/ pattern/")]
    [InlineData("$A =~ /a\\//")]
    [InlineData("$1 == \"digits are word characters\"")]
    [InlineData("$A == \"\"")]
    [InlineData("$A == \"it's\"")]
    [InlineData("$A == 'say \"hi\"'")]
    public void Whitespace_is_optional_and_quotes_nest_the_other_kind(string text) =>
        Assert.True(CiExpression.TryParse(text, out _, out var error), error?.Message);

    [Fact]
    public void Strings_have_no_escapes()
    {
        Assert.True(CiExpression.Parse("$A == \"a\\b\"").Evaluate(_ => "a\\b"));
        Assert.True(CiExpression.Parse("$A == \"\\n\"").Evaluate(_ => "\\n"));
    }

    [Fact]
    public void Null_needs_no_word_boundary_but_booleans_do()
    {
        Assert.Contains("missing operator before `true` at column 5", ErrorOf("nulltrue == $A").Message, StringComparison.Ordinal);
        Assert.Contains("unexpected `x` at column 5", ErrorOf("nullx == $A").Message, StringComparison.Ordinal);
        Assert.Contains("unexpected `truex`", ErrorOf("truex == $A").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_FormatException_with_the_message()
    {
        var thrown = Assert.Throws<FormatException>(() => CiExpression.Parse("$A =="));
        Assert.Contains("needs a value on each side", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_cached_too()
    {
        Assert.Same(ErrorOf("$A == )"), ErrorOf("$A == )"));
    }
}

using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class ExpressionLexerTests
{
    private static List<ExpressionToken> Tokens(string text)
    {
        Assert.True(ExpressionLexer.TryTokenize(text, out var tokens, out var error), error?.Message);
        return tokens;
    }

    [Fact]
    public void Splits_into_kinds_with_positions_and_values()
    {
        var tokens = Tokens("($VAR_1=='x y')||null!=true");
        Assert.Equal(
            [TokenKind.ParenOpen, TokenKind.Variable, TokenKind.Equals, TokenKind.String, TokenKind.ParenClose, TokenKind.Or, TokenKind.Null, TokenKind.NotEquals, TokenKind.Boolean],
            tokens.Select(t => t.Kind));
        Assert.Equal([0, 1, 7, 9, 14, 15, 17, 21, 23], tokens.Select(t => t.Start));
        Assert.Equal("VAR_1", tokens[1].Value);
        Assert.Equal("x y", tokens[3].Value);
    }

    [Fact]
    public void A_pattern_ends_at_the_first_unescaped_slash()
    {
        var tokens = Tokens(@"/a\/b/i =~ /c d/");
        Assert.Equal(@"/a\/b/i", tokens[0].Text);
        Assert.Equal("a/b", tokens[0].Regex!.Body);
        Assert.Equal("i", tokens[0].Regex!.Flags);
        Assert.Equal("/c d/", tokens[2].Text);
    }

    [Fact]
    public void A_pattern_keeps_backslashes_other_than_before_a_slash()
    {
        Assert.Equal(@"some numeric \$ pattern", Tokens(@"/some numeric \$ pattern/")[0].Regex!.Body);
        Assert.Equal("some numeric /$ pattern", Tokens(@"/some numeric \/$ pattern/")[0].Regex!.Body);
    }

    [Fact]
    public void Strings_end_at_the_first_matching_quote()
    {
        var tokens = Tokens("\"a'b\" 'c\"d' \"\"");
        Assert.Equal(["a'b", "c\"d", ""], tokens.Select(t => t.Value));
    }

    [Fact]
    public void Variable_names_are_ASCII_word_characters()
    {
        Assert.False(ExpressionLexer.TryTokenize("$ABé", out _, out var afterName));
        Assert.Equal(4, afterName.Column);
        Assert.False(ExpressionLexer.TryTokenize("$ÉTÉ", out _, out var noName));
        Assert.Equal(1, noName.Column);
    }
}

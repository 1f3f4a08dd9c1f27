using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class Re2TranslatorTests
{
    private static string Translate(string pattern, bool multiline = false)
    {
        Assert.True(Re2Translator.TryTranslate(pattern, multiline, out var translated, out var error), error);
        return translated;
    }

    [Theory]
    [InlineData("a$", "a(?:\\z)")]
    [InlineData("^a", "(?:^)a")]
    [InlineData("(?P<n>a)", "(?<n>a)")]
    [InlineData("\\d", "[\\u0030-\\u0039]")]
    [InlineData("(?U)a+", "a+")]
    [InlineData("(?iU)a", "(?i)a")]
    [InlineData("(?m)", "")]
    [InlineData("a(?i)*", "a*(?i)")]
    [InlineData("\\x{263A}", "\\u263A")]
    [InlineData("\\_", "\\u005F")]
    [InlineData("a{,2}", "a\\{,2}")]
    [InlineData("\\pL", "\\p{L}")]
    [InlineData("\\p{Greek}", "\\p{IsGreek}")]
    [InlineData("[\\d-]", "[\\u0030-\\u0039\\u002D]")]
    public void Rewrites_RE2_spellings_into_NET_ones(string pattern, string expected) =>
        Assert.Equal(expected, Translate(pattern));

    [Fact]
    public void The_m_flag_becomes_explicit_line_anchors_scoped_to_its_group()
    {
        Assert.Equal("(?m:^)a(?m:$)", Translate("^a$", multiline: true));
        Assert.Equal("((?m:^)a)(?:\\z)", Translate("((?m)^a)$"));
        Assert.Equal("(?:(?m:^)a)(?:^)", Translate("(?m:^a)^"));
    }

    [Fact]
    public void Word_boundaries_are_the_linear_engines_and_the_translation_says_what_keeps_them_ASCII()
    {
        var plain = Re2Translator.Translate("\\bfoo\\B", false, out _)!;
        Assert.Equal("(?:\\b)foo(?:\\B)", plain.Pattern);
        Assert.True(plain.UsesWordBoundary);
        Assert.False(plain.TellsNonAsciiApart(ignoreCase: true));
        Assert.True(Re2Translator.Translate("\\bé", false, out _)!.TellsNonAsciiApart(ignoreCase: false));
        Assert.True(Re2Translator.Translate("\\pL", false, out _)!.TellsNonAsciiApart(ignoreCase: false));
        Assert.True(Re2Translator.Translate("[a-z]", false, out _)!.TellsNonAsciiApart(ignoreCase: true));
        Assert.False(Re2Translator.Translate("[a-z]", false, out _)!.TellsNonAsciiApart(ignoreCase: false));
        Assert.False(Re2Translator.Translate("[^a-z]\\p{Any}.", false, out _)!.TellsNonAsciiApart(ignoreCase: false));
    }
}

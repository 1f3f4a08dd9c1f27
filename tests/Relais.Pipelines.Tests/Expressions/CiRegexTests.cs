using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class CiRegexTests
{
    private static CiRegex Compile(string text)
    {
        Assert.True(CiRegex.TryParse(text, out var regex, out var error), error);
        return regex;
    }

    private static string ErrorOf(string text)
    {
        Assert.False(CiRegex.TryParse(text, out _, out var error));
        return error;
    }

    [Theory]
    [InlineData("/[[:alpha:]]+$/", "abc", true)]
    [InlineData("/^[[:alpha:]]+$/", "a1", false)]
    [InlineData("/^[[:^digit:]]+$/", "ab", true)]
    [InlineData("/^[^\\d]$/", "5", false)]
    [InlineData("/^[^\\d]$/", "x", true)]
    [InlineData("/^[\\w.-]+$/", "v1.2-rc_3", true)]
    [InlineData("/^\\x{41}\\x42$/", "AB", true)]
    [InlineData("/^\\101$/", "A", true)]
    [InlineData("/^\\Qa.b\\E$/", "a.b", true)]
    [InlineData("/^\\Qa.b\\E$/", "axb", false)]
    [InlineData("/^\\pL+$/", "été", true)]
    [InlineData("/^\\p{Lu}/", "Été", true)]
    [InlineData("/^(?P<major>\\d+)\\.\\d+$/", "12.3", true)]
    [InlineData("/^(?<major>\\d+)$/", "12", true)]
    [InlineData("/^[a-z-[aeiou]]$/", "b]", true)]
    [InlineData("/^[a-z-[aeiou]]$/", "b", false)]
    [InlineData("/^a_\\_b$/", "a__b", true)]
    [InlineData("/^a{2,3}$/", "aaa", true)]
    [InlineData("/^a{,3}$/", "a{,3}", true)]
    [InlineData("/^[]a]+$/", "]a", true)]
    [InlineData("/a.c/s", "a\nc", true)]
    [InlineData("/(?s:a.c)/", "a\nc", true)]
    [InlineData("/^b/", "a\nb", false)]
    [InlineData("/(?m:^b)/", "a\nb", true)]
    [InlineData("/(?m)^b(?-m)$/", "a\nb\n", false)]
    [InlineData("/ABC/i", "xabcx", true)]
    public void RE2_syntax_is_read_as_RE2_means_it(string pattern, string input, bool expected) =>
        Assert.Equal(expected, Compile(pattern).IsMatch(input));

    [Theory]
    [InlineData("/(?=a)/", "lookahead")]
    [InlineData("/(?!a)/", "lookahead")]
    [InlineData("/(?<=a)b/", "lookbehind")]
    [InlineData("/(?>a)/", "not supported")]
    [InlineData("/(?#note)a/", "not supported")]
    [InlineData("/(a)\\1/", "backreference")]
    [InlineData("/(?P<n>a)(?P=n)/", "backreference")]
    [InlineData("/a{1001}/", "limit of 1000")]
    [InlineData("/\\e/", "invalid escape")]
    [InlineData("/[[:nope:]]/", "unknown character class")]
    [InlineData("/[z-a]/", "invalid character class range")]
    [InlineData("/[abc/", "missing closing `]`")]
    [InlineData("/\\x{110000}/", "invalid `\\x` escape")]
    [InlineData("/a**/", "Nested quantifier")]
    [InlineData("/(/", "Not enough )")]
    [InlineData("no slashes", "not a `/pattern/flags`")]
    [InlineData("/x/g", "not a `/pattern/flags`")]
    public void What_RE2_rejects_is_rejected(string pattern, string message) =>
        Assert.Contains(message, ErrorOf(pattern), StringComparison.Ordinal);

    [Fact]
    public void Ruby_syntax_takes_the_last_slash_and_line_anchors()
    {
        Assert.Equal("a/b", Compile("/a/b/i").Body);
        Assert.Equal("i", Compile("/a/b/i").Flags);
        Assert.Equal("(?i)a/b", Compile("/a/b/i").Source);
        Assert.Equal("b", Compile("some text\n/b/").Body);
    }

    [Fact]
    public void Compiled_patterns_are_cached_by_text() =>
        Assert.Same(Compile("/^cached-[0-9]+$/"), Compile("/^cached-[0-9]+$/"));

    [Fact]
    public void Catastrophic_patterns_still_answer_through_the_linear_engine()
    {
        var regex = Compile("/^(a+)+$/");
        var input = new string('a', 40) + "!";
        Assert.False(regex.IsMatch(input));
        Assert.True(regex.IsMatch(new string('a', 40)));
    }
}

using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Tests.Schema;

public sealed class SuggestionsTests
{
    private static readonly string[] Keywords = ["script", "stage", "stages", "services", "artifacts", "when", "rules"];

    [Theory]
    [InlineData("scirpt", "script")]
    [InlineData("Script", "script")]
    [InlineData("artefacts", "artifacts")]
    [InlineData("stagse", "stages")]
    [InlineData("rule", "rules")]
    [InlineData("whn", "when")]
    public void Near_misses_find_the_keyword(string typo, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(typo, Keywords));

    [Theory]
    [InlineData("deploy")]
    [InlineData("x")]
    [InlineData("script")]
    public void Far_words_and_exact_words_have_no_suggestion(string word) =>
        Assert.Null(Suggestions.Closest(word, Keywords));

    [Theory]
    [InlineData("ab", "ba", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_counts_edits_and_swaps(string a, string b, int expected) =>
        Assert.Equal(expected, Suggestions.Distance(a, b));
}

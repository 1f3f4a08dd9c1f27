using Relais.Pipelines.Variables;

namespace Relais.Pipelines.Tests.Variables;

public sealed class VariableExpanderTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["A"] = "x",
        ["B"] = "y",
        ["A_B"] = "underscore",
        ["REF"] = "$A",
        ["EMPTY"] = "",
        ["FOO:-x"] = "braced anything",
    };

    private static string? Lookup(string name) => Values.TryGetValue(name, out var value) ? value : null;

    private static string GitLab(string text) => VariableExpander.Expand(text, Lookup);

    private static string Keywords(string text) => VariableExpander.Expand(text, Lookup, ExpansionOptions.GitLabKeywords);

    [Theory]
    [InlineData("value_of_$A", "value_of_x")]
    [InlineData("${A}-suffix", "x-suffix")]
    [InlineData("%A%", "x")]
    [InlineData("$A$B", "xy")]
    [InlineData("$A_B", "underscore")]
    [InlineData("$A-B", "x-B")]
    [InlineData("%A%;C:\\bin", "x;C:\\bin")]
    [InlineData("$EMPTY|", "|")]
    [InlineData("$REF", "$A")]
    [InlineData("$UNDEFINED/x", "$UNDEFINED/x")]
    [InlineData("${UNDEFINED}/x", "${UNDEFINED}/x")]
    [InlineData("%UNDEFINED%", "%UNDEFINED%")]
    [InlineData("$$A", "$$A")]
    [InlineData("%%A%", "%%A%")]
    [InlineData("${A", "${A")]
    [InlineData("${}", "${}")]
    [InlineData("$1", "$1")]
    [InlineData("${1}", "${1}")]
    [InlineData("price: 5$", "price: 5$")]
    [InlineData("50% off %", "50% off %")]
    [InlineData("${FOO:-x}", "${FOO:-x}")]
    public void GitLab_expands_dollar_brace_and_percent_forms_and_keeps_the_rest(string text, string expected) =>
        Assert.Equal(expected, GitLab(text));

    [Fact]
    public void GitLab_can_drop_undefined_references()
    {
        var options = ExpansionOptions.GitLabVariables with { KeepUndefined = false };
        Assert.Equal("/x-x", VariableExpander.Expand("$UNDEFINED/x-${A}", Lookup, options));
        Assert.Equal("$$A", VariableExpander.Expand("$$A", Lookup, options));
    }

    [Theory]
    [InlineData("$$A", "$x")]
    [InlineData("%%A%", "%x")]
    [InlineData("$UNDEFINED", "$UNDEFINED")]
    [InlineData("${A}/%B%", "x/y")]
    public void GitLab_keywords_have_no_dollar_dollar_escape(string text, string expected) =>
        Assert.Equal(expected, Keywords(text));

    [Fact]
    public void Text_without_references_is_returned_as_is()
    {
        const string text = "plain text, nothing to expand";
        Assert.Same(text, GitLab(text));
        var withDollarButNoName = "cost: $5";
        Assert.Same(withDollarButNoName, GitLab(withDollarButNoName));
    }

    [Fact]
    public void Referenced_names_skip_escapes_and_repeats()
    {
        Assert.Equal(["A", "B", "C"], VariableExpander.ReferencedNames("$A ${B} %C% $$D %%E% $A ${} $1"));
        Assert.Empty(VariableExpander.ReferencedNames("no references"));
    }
}

using Relais.Protocol.Jobs;
using Relais.Runner.Variables;

namespace Relais.Runner.Tests.Variables;

public class VariableTests
{
    private static readonly Dictionary<string, string> Values = new() { ["A"] = "x", ["B_1"] = "y", ["EMPTY"] = "", ["FOO:-x"] = "braced anything" };

    [Theory]
    [InlineData("$A", "x")]
    [InlineData("${A}-$B_1", "x-y")]
    [InlineData("pre$A.post", "prex.post")]
    [InlineData("$UNDEFINED|", "|")]
    [InlineData("$$A", "$A")]
    [InlineData("cost: $ 5", "cost: $ 5")]
    [InlineData("end$", "end$")]
    [InlineData("${}x", "x")]
    [InlineData("${A", "A")]
    [InlineData("$1$*", "")]
    [InlineData("no dollar", "no dollar")]
    [InlineData("%A%", "%A%")]
    [InlineData("$$", "$")]
    [InlineData("$/dsa", "$/dsa")]
    [InlineData("aa$@bb", "aabb")]
    [InlineData("aa${@}bb", "aabb")]
    [InlineData("$1abc", "abc")]
    [InlineData("a-${UNDEFINED}-b", "a--b")]
    [InlineData("${FOO:-x}", "braced anything")]
    public void Expands_like_gos_os_expand(string input, string expected)
    {
        Assert.Equal(expected, VariableExpander.Expand(input, k => Values.GetValueOrDefault(k)));
    }

    [Fact]
    public void Later_variables_win_and_raw_ones_are_not_expanded()
    {
        var variables = new JobVariables(
        [
            new JobVariable("NAME", "first"),
            new JobVariable("NAME", "second"),
            new JobVariable("GREETING", "hello $NAME"),
            new JobVariable("RAW", "hello $NAME", raw: true),
        ]).ExpandValues();

        Assert.Equal("second", variables.Get("NAME"));
        Assert.Equal("hello second", variables.Get("GREETING"));
        Assert.Equal("hello $NAME", variables.Get("RAW"));
        Assert.Equal("old", new JobVariables([new JobVariable("S", "old")]).With("T", "new").Get("S"));
        Assert.Equal("done", new JobVariables([new JobVariable("S", "old")]).With("S", "done").Get("S"));
    }
}
